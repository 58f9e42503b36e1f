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

import { BatchReference } from '../../transport/batch';
import { additionalFieldsByVersion, LEGACY_FIELDS } from '../versions';
import { isBlank } from '../checks';
import { optionsField } from '../descriptions';
import { invalidField, readField } from '../read';
import type { Bitrix24Command, OperationDefinition } from '../types';
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
		return {
			commands,
			...(skipLogged && externalCallId ? { skipKey: externalCallId } : {}),
			output: ({ register, finish, record, transcription }) => {
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
			},
		};
	},
};
