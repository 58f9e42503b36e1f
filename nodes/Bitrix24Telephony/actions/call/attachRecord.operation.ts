/**
 * Call → Attach Record: `telephony.externalcall.attachRecord`, for a FINISHED call. From a URL
 * (Bitrix24 downloads it), or from n8n binary data: small files inline as base64 (batchable),
 * large ones through the two-step upload link, streamed. The recording's checks (.mp3/.wav, size,
 * audio content) are here too; Log Completed Call reuses them. Every recording is sent under a
 * name made from its CALL_ID (`recording.ts`), so that a retry whose first attempt was stored
 * meets Bitrix24's "File with this name already exists." for its own file: reported as success
 * with `alreadyAttached: true`, never attached twice.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { Bitrix24Failure } from '../../transport/errors';
import { uploadMultipart } from '../../transport/multipartUpload';
import { isBlank, toText, ValueProblem } from '../checks';
import { callIdField } from '../descriptions';
import { invalidField, readCallId, readParameter } from '../read';
import type { ItemRequest, OperationDefinition } from '../types';
import {
	alreadyAttached,
	checkRecordingFileName,
	fileNameOfUrl,
	INLINE_RECORDING_LIMIT_BYTES,
	lowerCaseExtension,
	readRecording,
	recordingBase64,
	recordingName,
} from './recording';

const METHOD = 'telephony.externalcall.attachRecord';
const show = { resource: ['call'], operation: ['attachRecord'] };

export const ATTACH_FIELDS = {
	source: { name: 'source', displayName: 'Recording Source' },
	binaryPropertyName: { name: 'binaryPropertyName', displayName: 'Input Binary Field' },
	fileName: { name: 'fileName', displayName: 'File Name' },
	recordUrl: { name: 'recordUrl', displayName: 'Record URL' },
};

function toPublicUrl(value: unknown): string {
	if (isBlank(value)) throw new ValueProblem('is empty');
	const url = toText(value, { maxLength: 2048 });
	if (!/^https?:\/\/[^/\s]+/i.test(url))
		throw new ValueProblem(`is "${url.slice(0, 60)}", which is not an http(s) URL`);
	return url;
}

/**
 * FILENAME is always sent, ending in .mp3 or .wav: from the File Name field, else from the URL
 * (Bitrix24 would take the path's last segment, which for a download link such as
 * `play.php?id=7` is no recording name and gets "Invalid file type").
 */
function fromUrl(ctx: IExecuteFunctions, itemIndex: number, callId: string): ItemRequest {
	const recordUrl = readParameter(ctx, itemIndex, ATTACH_FIELDS.recordUrl, '', toPublicUrl);
	const given = String(ctx.getNodeParameter('fileName', itemIndex, '') ?? '');
	let name: string;
	if (given.trim() !== '') {
		name = checkRecordingFileName(ctx, itemIndex, ATTACH_FIELDS.fileName, given);
	} else {
		name = lowerCaseExtension(fileNameOfUrl(recordUrl));
		if (name === '') {
			throw invalidField(
				ctx,
				itemIndex,
				ATTACH_FIELDS.fileName,
				`is empty, and the Record URL names no .mp3 or .wav file`,
				"Set File Name to the recording's name, e.g. call.mp3 or call.wav: Bitrix24 needs it to accept the download.",
			);
		}
	}
	const fileName = recordingName(callId, name);
	return {
		commands: {
			attach: {
				method: METHOD,
				params: { CALL_ID: callId, RECORD_URL: recordUrl, FILENAME: fileName },
				// Safe to repeat: a second attempt finds its own name taken (alreadyAttached).
				idempotent: true,
				acceptRefusal: alreadyAttached,
			},
		},
		output: ({ attach }) => ({
			alreadyAttached: false,
			...(attach as IDataObject),
			callId,
			fileName,
		}),
	};
}

async function fromBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	callId: string,
): Promise<ItemRequest> {
	const propertyName = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const recording = await readRecording(
		ctx,
		itemIndex,
		{ field: ATTACH_FIELDS.binaryPropertyName, name: propertyName },
		{
			field: ATTACH_FIELDS.fileName,
			value: String(ctx.getNodeParameter('fileName', itemIndex, '') ?? ''),
		},
	);
	const fileName = recordingName(callId, recording.fileName);
	const summary = { callId, fileName, sizeBytes: recording.sizeBytes };
	if (recording.sizeBytes <= INLINE_RECORDING_LIMIT_BYTES) {
		const content = await recordingBase64(ctx, itemIndex, propertyName, recording);
		return {
			commands: {
				attach: {
					method: METHOD,
					params: { CALL_ID: callId, FILENAME: fileName, FILE_CONTENT: content },
					idempotent: true,
					acceptRefusal: alreadyAttached,
				},
			},
			output: ({ attach }) => ({
				alreadyAttached: false,
				...(attach as IDataObject),
				...summary,
				uploadedVia: 'base64',
			}),
		};
	}
	return {
		run: async (transport) => {
			const upload = async () => {
				// Step 1: FILENAME without content asks Bitrix24 for an upload link.
				const { result } = await transport.call(
					METHOD,
					{ CALL_ID: callId, FILENAME: fileName },
					{ idempotent: true },
				);
				const link = (result ?? {}) as IDataObject;
				const content = recording.binary.id
					? await ctx.helpers.getBinaryStream(recording.binary.id)
					: Buffer.from(recording.binary.data, 'base64');
				// Step 2: the file itself, as multipart field `file`.
				return await uploadMultipart(transport, METHOD, String(link.uploadUrl ?? ''), {
					fieldName: String(link.fieldName ?? 'file'),
					fileName,
					mimeType: recording.binary.mimeType || 'application/octet-stream',
					sizeBytes: recording.sizeBytes,
					content,
				});
			};
			const done = { ...summary, uploadedVia: 'uploadUrl' };
			type Attempt = { uploaded: Awaited<ReturnType<typeof upload>> } | { failure: Error };
			const attempt = async (): Promise<Attempt> => {
				try {
					return { uploaded: await upload() };
				} catch (error) {
					return { failure: error as Error };
				}
			};
			// A stream is not resent by the transport; a lost answer is, once, here, from a new
			// stream: the second attempt stores the file or finds its own name taken.
			let outcome = await attempt();
			if ('failure' in outcome && (outcome.failure as Bitrix24Failure).kind === 'unknownOutcome')
				outcome = await attempt();
			if ('uploaded' in outcome) {
				const result = (outcome.uploaded.result ?? {}) as IDataObject;
				return { alreadyAttached: false, ...result, ...done };
			}
			const accepted =
				outcome.failure instanceof Bitrix24Failure ? alreadyAttached(outcome.failure) : undefined;
			if (accepted) return { ...accepted, ...done };
			throw outcome.failure;
		},
	};
}

const BINARY_SOURCE = {
	name: 'Binary File',
	value: 'binary',
	description: "A recording in the item's binary data (MP3 or WAV)",
};
const URL_SOURCE = {
	name: 'URL',
	value: 'url',
	description: 'A public URL Bitrix24 downloads the recording from',
};

export const attachRecord: OperationDefinition = {
	description: [
		callIdField(
			show,
			'The CALL_ID of a FINISHED call: Bitrix24 attaches recordings only after Finish',
		),
		{
			displayName: ATTACH_FIELDS.source.displayName,
			name: ATTACH_FIELDS.source.name,
			type: 'options',
			options: [BINARY_SOURCE, URL_SOURCE],
			default: 'binary',
			displayOptions: { show, hide: { '@tool': [true] } },
		},
		// As an AI agent's tool (n8n's `@tool`), from a URL only: a model cannot hand over binary
		// data, and a recording's bytes have no place in its context.
		{
			displayName: ATTACH_FIELDS.source.displayName,
			name: ATTACH_FIELDS.source.name,
			type: 'options',
			options: [URL_SOURCE],
			default: 'url',
			displayOptions: { show: { ...show, '@tool': [true] } },
		},
		{
			displayName: ATTACH_FIELDS.binaryPropertyName.displayName,
			name: ATTACH_FIELDS.binaryPropertyName.name,
			type: 'string',
			default: 'data',
			required: true,
			description: 'The name of the input binary field holding the recording',
			displayOptions: { show: { ...show, source: ['binary'] } },
		},
		{
			displayName: ATTACH_FIELDS.recordUrl.displayName,
			name: ATTACH_FIELDS.recordUrl.name,
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. https://pbx.example.com/recordings/1710140185.18441.mp3',
			description:
				"A URL Bitrix24's servers can download the recording from (RECORD_URL); it must answer 200 with MP3 or WAV audio (an HTML page is refused). When it names no .mp3 or .wav file, set File Name.",
			displayOptions: { show: { ...show, source: ['url'] } },
		},
		{
			displayName: ATTACH_FIELDS.fileName.displayName,
			name: ATTACH_FIELDS.fileName.name,
			type: 'string',
			default: '',
			placeholder: 'e.g. call-1710140185.mp3',
			description:
				"The recording's file name, ending in .mp3 or .wav. Bitrix24 stores it after the call ID (\"externalCall.….1773130779 call.mp3\"), unique per call, with the extension in lower case. Defaults to the binary file's name, or the URL's (its path, or a query value such as ?file=rec.wav). Attaching a file of the same name to the same call again keeps the first and outputs alreadyAttached: true.",
			displayOptions: { show },
		},
	],
	async prepare(itemIndex) {
		const callId = readCallId(this, itemIndex);
		const source = this.getNodeParameter('source', itemIndex, 'binary') as string;
		return source === 'url'
			? fromUrl(this, itemIndex, callId)
			: await fromBinary(this, itemIndex, callId);
	},
};
