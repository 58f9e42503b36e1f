/**
 * Call → Log Completed Call: register + finish (+ attach the recording) in ONE `batch` request,
 * the finish and the recording taking the new CALL_ID through `$result[…]` references. For CDR
 * imports and calls logged after the fact; no call card pops up unless "Show Call Card" is set.
 */
import type { IDataObject } from 'n8n-workflow';

import { BatchReference } from '../../transport/batch';
import { optionalAdditionalFields } from '../descriptions';
import { invalidField } from '../read';
import type { Bitrix24Command, OperationDefinition } from '../types';
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
		return {
			commands,
			output: ({ register, finish, record }) => {
				const json = finishedCallOutput(portalUrl, finish as IDataObject);
				json.CALL_ID = (register as IDataObject).CALL_ID;
				json.register = register as IDataObject;
				if (record !== undefined) json.record = record as IDataObject;
				return json;
			},
		};
	},
};
