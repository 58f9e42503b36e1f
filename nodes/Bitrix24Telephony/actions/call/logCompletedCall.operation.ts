/**
 * Call → Log Completed Call: register + finish (+ attach the recording, + attach the transcript)
 * in ONE `batch` request, the later commands taking the new CALL_ID through `$result[…]`
 * references. For CDR imports, AI voice agents and calls logged after the fact; no call card pops
 * up unless "Show Call Card" is set. The transcript is read and checked as Attach Transcription
 * reads its messages. With "Skip Calls Already Logged", rows whose EXTERNAL_CALL_ID the call
 * history already holds are output as skipped instead (`alreadyLogged.ts`), so that an import can
 * be run again.
 */
import type { IDataObject } from 'n8n-workflow';

import { BatchReference, sendBatch } from '../../transport/batch';
import type { Bitrix24Transport } from '../../transport/transport';
import { additionalFieldsByVersion, LEGACY_FIELDS } from '../versions';
import { isBlank } from '../checks';
import { optionsField } from '../descriptions';
import { invalidField, readField } from '../read';
import { failureWith, finishResultFromRow, lookUpFinishedCall } from '../recovery';
import type { Bitrix24Command, LostBatch, OperationDefinition } from '../types';
import { alreadyLogged, SKIP_LOGGED_OPTION } from './alreadyLogged';
import {
	alreadyAttached,
	INLINE_RECORDING_LIMIT_BYTES,
	readRecording,
	recordingBase64,
	recordingName,
	recordingNameAfter,
} from './recording';
import { TRANSCRIPT_MESSAGES_HELP, toTranscriptMessages } from './attachTranscription.operation';
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
	transcript: { name: 'transcript', displayName: 'Transcript' },
};
/** Binary data has no place in a call an AI agent makes: n8n's `@tool` hides these fields there. */
const showOutsideTools = { show, hide: { '@tool': [true] } };

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
			displayOptions: showOutsideTools,
		},
		{
			displayName: FIELDS.fileName.displayName,
			name: FIELDS.fileName.name,
			type: 'string',
			default: '',
			description:
				"The recording's file name in Bitrix24, ending in .mp3 or .wav. Defaults to the binary file's name.",
			displayOptions: showOutsideTools,
		},
		{
			displayName: FIELDS.transcript.displayName,
			name: FIELDS.transcript.name,
			type: 'json',
			// Empty, not a sample: an unmapped node must not attach made-up words to a real call.
			default: '',
			placeholder: 'e.g. [{ "side": "User", "startTime": 0, "stopTime": 3, "message": "Hello" }]',
			description: `The conversation, attached in the same request (telephony.call.attachTranscription): ${TRANSCRIPT_MESSAGES_HELP}. Leave empty for no transcript.`,
			displayOptions: { show },
		},
		// Finish's optional fields under their own name; a call logged after the fact never posts
		// to the chat from here (Register's Add to Chat decides).
		...additionalFieldsByVersion(
			show,
			FINISH_ADDITIONAL_FIELDS.filter((o) => o.name !== 'addToChat'),
			LEGACY_FIELDS.finish,
			{ displayName: 'Finish Fields', name: 'finishFields' },
		),
		optionsField(show, { batching: true }, [SKIP_LOGGED_OPTION]),
	],
	alreadyDone: alreadyLogged,
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

		// Read and checked before anything is sent, like every field; attached after the finish.
		const transcript = this.getNodeParameter(FIELDS.transcript.name, itemIndex, '');
		const messages = isBlank(transcript)
			? undefined
			: readField(this, itemIndex, FIELDS.transcript, transcript, toTranscriptMessages);

		const propertyName = String(
			this.getNodeParameter(FIELDS.binaryPropertyName.name, itemIndex, '') ?? '',
		).trim();
		let recording: Awaited<ReturnType<typeof readRecording>> | undefined;
		if (propertyName !== '') {
			recording = await readRecording(
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
					// "<CALL_ID> <name>", the CALL_ID filled in by Bitrix24 (see recording.ts).
					FILENAME: recordingNameAfter(callId, recording.fileName),
					FILE_CONTENT: await recordingBase64(this, itemIndex, propertyName, recording),
				},
				idempotent: false,
				acceptRefusal: alreadyAttached,
			};
		}
		if (messages !== undefined) {
			commands.transcription = {
				method: 'telephony.call.attachTranscription',
				params: { CALL_ID: callId, MESSAGES: messages },
				// Each call adds another transcript: never repeat blindly.
				idempotent: false,
			};
		}
		const skipLogged =
			this.getNodeParameter(`options.${SKIP_LOGGED_OPTION.name}`, itemIndex, false) === true;
		const externalCallId = registerParams.EXTERNAL_CALL_ID as string | undefined;
		const output = ({ register, finish, record, transcription }: Record<string, unknown>) => {
			const json = finishedCallOutput(portalUrl, finish as IDataObject);
			json.CALL_ID = (register as IDataObject).CALL_ID;
			json.register = register as IDataObject;
			if (record !== undefined) {
				json.record = {
					alreadyAttached: false,
					...(record as IDataObject),
					fileName: recordingName(String(json.CALL_ID), recording!.fileName),
				};
			}
			if (transcription !== undefined) json.transcription = transcription as IDataObject;
			// Rows without an External Call ID cannot be matched: sent, and said so.
			if (skipLogged) json.skipLoggedCheck = externalCallId ? 'notLogged' : 'noExternalCallId';
			return json;
		};
		return {
			commands,
			...(skipLogged && externalCallId ? { skipKey: externalCallId } : {}),
			output,
			recover: async (transport, lost, failure) =>
				output(
					await recoverCall(transport, commands, lost, failure, {
						registerRepeatable: registerCommand(registerParams).idempotent,
						recordingFileName: recording?.fileName,
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
	{
		registerRepeatable,
		recordingFileName,
	}: { registerRepeatable: boolean; recordingFileName?: string },
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
			const foundCallId = String(row.CALL_ID);
			// The later commands referred to register's answer: now the CALL_ID is known.
			const sendFor = async (command: Bitrix24Command, params: IDataObject) =>
				(
					await transport.call(
						command.method,
						{ ...command.params, ...params } as IDataObject,
						command,
					)
				).result;
			// Cut before the recording (it comes after the finish): nor did the transcript run.
			const cutBeforeRecord = commands.record !== undefined && !row.RECORD_FILE_ID;
			if (commands.record) {
				results.record = row.RECORD_FILE_ID
					? { FILE_ID: row.RECORD_FILE_ID }
					: await sendFor(commands.record, {
							CALL_ID: foundCallId,
							FILENAME: recordingName(foundCallId, recordingFileName ?? ''),
						});
			}
			if (commands.transcription) {
				// Nothing in the call history says whether a transcript is attached: sent again only
				// when the batch provably stopped before it.
				if (!cutBeforeRecord)
					throw failureWith(
						failure,
						`The call was logged as ${foundCallId}, but whether its transcript was attached is unknown: check the call in Bitrix24 before attaching the transcript again.`,
					);
				results.transcription = await sendFor(commands.transcription, { CALL_ID: foundCallId });
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
