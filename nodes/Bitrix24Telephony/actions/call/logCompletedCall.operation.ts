/**
 * Call → Log Completed Call: register + finish (+ attach the recording) in ONE `batch` request,
 * the finish and the recording taking the new CALL_ID through `$result[…]` references. For CDR
 * imports and calls logged after the fact; no call card pops up unless "Show Call Card" is set.
 */
import type { IDataObject } from 'n8n-workflow';

import { BatchReference, sendBatch } from '../../transport/batch';
import type { Bitrix24Transport } from '../../transport/transport';
import { optionalAdditionalFields } from '../descriptions';
import { invalidField } from '../read';
import { failureWith, finishResultFromRow, lookUpFinishedCall } from '../recovery';
import type { Bitrix24Command, LostBatch, OperationDefinition } from '../types';
import {
	INLINE_RECORDING_LIMIT_BYTES,
	readRecording,
	recordingBase64,
} from './attachRecord.operation';
import {
	durationAndStatusFields,
	FINISH_ADDITIONAL_FIELDS,
	finishedCallOutput,
	readFinishParams,
} from './finish.operation';
import { readRegisterParams, registerCommand, registerFields } from './register.operation';

const show = { resource: ['call'], operation: ['logCompletedCall'] };
const FIELDS = {
	binaryPropertyName: { name: 'binaryPropertyName', displayName: 'Recording Binary Field' },
	fileName: { name: 'recordingFileName', displayName: 'Recording File Name' },
};

export const logCompletedCall: OperationDefinition = {
	description: [
		...registerFields(show),
		...durationAndStatusFields(show),
		{
			displayName: FIELDS.binaryPropertyName.displayName,
			name: FIELDS.binaryPropertyName.name,
			type: 'string',
			default: '',
			placeholder: 'e.g. data',
			description:
				"The input binary field holding the call's recording (MP3 or WAV, up to 2 MB in this operation; use Attach Record for larger files). Leave empty for no recording.",
			displayOptions: { show },
		},
		{
			displayName: FIELDS.fileName.displayName,
			name: FIELDS.fileName.name,
			type: 'string',
			default: '',
			description:
				"The recording's file name in Bitrix24, ending in .mp3 or .wav. Defaults to the binary file's name.",
			displayOptions: { show },
		},
		{
			...optionalAdditionalFields(
				show,
				FINISH_ADDITIONAL_FIELDS.filter((o) => o.name !== 'addToChat'),
			),
			displayName: 'Finish Fields',
			name: 'finishFields',
		},
	],
	async prepare(itemIndex, { portalUrl }) {
		const registerParams = readRegisterParams(this, itemIndex);
		// A call logged after the fact must not pop up a card, unless asked to.
		if (registerParams.SHOW === undefined) registerParams.SHOW = 0;
		const user =
			'USER_ID' in registerParams
				? { USER_ID: registerParams.USER_ID }
				: { USER_PHONE_INNER: registerParams.USER_PHONE_INNER };
		const callId = new BatchReference('register', ['CALL_ID']);
		const finishParams: IDataObject = {
			...user,
			...readFinishParams(this, itemIndex, 'finishFields'),
		};
		// Nor post it in the employee's chat, unless asked to (sent explicitly: portals disagree on
		// what a missing ADD_TO_CHAT means, see finish.operation.ts).
		finishParams.ADD_TO_CHAT = registerParams.ADD_TO_CHAT ?? 0;
		const commands: Record<string, Bitrix24Command> = {
			// Not idempotent here: it travels with the finish. Alone it may be (the recovery asks).
			register: { ...registerCommand(registerParams), idempotent: false },
			finish: {
				method: 'telephony.externalcall.finish',
				params: { CALL_ID: callId, ...finishParams },
				idempotent: false,
			},
		};

		const propertyName = String(
			this.getNodeParameter(FIELDS.binaryPropertyName.name, itemIndex, '') ?? '',
		).trim();
		if (propertyName !== '') {
			const recording = await readRecording(
				this,
				itemIndex,
				{ field: FIELDS.binaryPropertyName, name: propertyName },
				{
					field: FIELDS.fileName,
					value: String(this.getNodeParameter(FIELDS.fileName.name, itemIndex, '') ?? ''),
				},
			);
			if (recording.sizeBytes > INLINE_RECORDING_LIMIT_BYTES) {
				throw invalidField(
					this,
					itemIndex,
					FIELDS.binaryPropertyName,
					`holds ${Math.round(recording.sizeBytes / 1024)} KB, too large to travel inside a batch`,
					'Log the call without the recording here, then attach it with the Attach Record operation, which uploads large files.',
				);
			}
			commands.record = {
				method: 'telephony.externalcall.attachRecord',
				params: {
					CALL_ID: callId,
					FILENAME: recording.fileName,
					FILE_CONTENT: await recordingBase64(this, itemIndex, propertyName, recording),
				},
				idempotent: false,
			};
		}
		const output = ({ register, finish, record }: Record<string, unknown>) => {
			const json = finishedCallOutput(portalUrl, finish as IDataObject);
			json.CALL_ID = (register as IDataObject).CALL_ID;
			json.register = register as IDataObject;
			if (record !== undefined) json.record = record as IDataObject;
			return json;
		};
		return {
			commands,
			output,
			recover: async (transport, lost, failure) =>
				output(
					await recoverCall(transport, commands, lost, failure, {
						registerRepeatable: registerCommand(registerParams).idempotent,
					}),
				),
		};
	},
};

/**
 * The batch that carried this call lost its answer (docs/errors-and-limits.md, "A request cut off
 * at 60 seconds"). A history row with its EXTERNAL_CALL_ID = registered and finished (then only
 * a missing recording is attached). No row: the batch stopped at or before this call. If an
 * earlier call already had no row, nothing of this one ran; else its register may have run
 * without its finish, and it is sent again only when Bitrix24's 30-minute dedup makes that safe.
 */
async function recoverCall(
	transport: Bitrix24Transport,
	commands: Record<string, Bitrix24Command>,
	lost: LostBatch,
	failure: Error,
	{ registerRepeatable }: { registerRepeatable: boolean },
): Promise<Record<string, unknown>> {
	const externalCallId = commands.register.params.EXTERNAL_CALL_ID;
	if (!lost.cutBefore) {
		if (externalCallId === undefined)
			throw failureWith(
				failure,
				'Give each call an External Call ID: the node then finds out which calls Bitrix24 logged before the answer was lost, and completes the others.',
			);
		const row = await lookUpFinishedCall(transport, { EXTERNAL_CALL_ID: externalCallId }, failure);
		if (row) {
			const results: Record<string, unknown> = {
				register: { CALL_ID: row.CALL_ID },
				finish: finishResultFromRow(row),
			};
			if (commands.record) {
				results.record = row.RECORD_FILE_ID
					? { FILE_ID: row.RECORD_FILE_ID }
					: (
							await transport.call(
								commands.record.method,
								{ ...commands.record.params, CALL_ID: row.CALL_ID } as IDataObject,
								commands.record,
							)
						).result;
			}
			return results;
		}
		lost.cutBefore = true;
		if (!registerRepeatable)
			throw failureWith(
				failure,
				'Bitrix24 stopped at this call: it may have been registered without being finished (an unfinished call shows in no call history). It was not sent again, because Bitrix24 recognises a repeated register only for calls that started less than 30 minutes ago. The calls before it were logged.',
			);
	}
	const again = (await sendBatch(transport, [{ key: 'again', commands }], { halt: true })).get(
		'again',
	)!;
	if ('results' in again) return again.results;
	throw again.failure;
}
