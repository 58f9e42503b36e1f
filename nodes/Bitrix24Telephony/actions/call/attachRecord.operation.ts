/**
 * Call → Attach Record: `telephony.externalcall.attachRecord`, for a FINISHED call. From a URL
 * (Bitrix24 downloads it), or from n8n binary data: small files inline as base64 (batchable),
 * large ones through the two-step upload link, streamed. The recording's checks (.mp3/.wav, size)
 * are here too; Log Completed Call reuses them.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { uploadMultipart } from '../../transport/multipartUpload';
import { isBlank, toText, ValueProblem } from '../checks';
import { callIdField } from '../descriptions';
import { invalidField, readCallId, readParameter, type FieldRef } from '../read';
import type { ItemRequest, OperationDefinition } from '../types';

/** Up to this size a recording goes inline as base64 (batchable); above, the two-step upload. */
export const INLINE_RECORDING_LIMIT_BYTES = 2 * 1024 * 1024;

/** A call recording larger than this is a mistake (a wrong file), not a call. */
export const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

const ALLOWED_EXTENSIONS = /\.(mp3|wav)$/i;

export interface Recording {
	binary: IBinaryData;
	fileName: string;
	sizeBytes: number;
}

export function checkRecordingFileName(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	fileName: string,
): string {
	const name = fileName.trim().replace(/[\\/]/g, '_');
	if (name === '')
		throw invalidField(
			ctx,
			itemIndex,
			field,
			'is empty',
			'Give the recording a file name ending in .mp3 or .wav.',
		);
	if (!ALLOWED_EXTENSIONS.test(name)) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`is "${name.slice(0, 60)}", but Bitrix24 accepts only .mp3 and .wav recordings`,
			'Convert the recording to MP3 first, or rename it if it already is one.',
		);
	}
	return name;
}

export async function readRecording(
	ctx: IExecuteFunctions,
	itemIndex: number,
	property: { field: FieldRef; name: string },
	fileName: { field: FieldRef; value: string },
): Promise<Recording> {
	const binary = ctx.getInputData()[itemIndex]?.binary?.[property.name];
	if (!binary) {
		throw invalidField(
			ctx,
			itemIndex,
			property.field,
			`names "${property.name}", but the item has no binary data by that name`,
			'Check the name of the binary property that holds the recording (often "data").',
		);
	}
	const name = checkRecordingFileName(
		ctx,
		itemIndex,
		fileName.field,
		fileName.value || binary.fileName || '',
	);
	const sizeBytes = binary.id
		? Number((await ctx.helpers.getBinaryMetadata(binary.id)).fileSize)
		: Buffer.byteLength(binary.data ?? '', 'base64');
	if (!(sizeBytes > 0)) throw invalidField(ctx, itemIndex, property.field, 'holds an empty file');
	if (sizeBytes > MAX_RECORDING_BYTES) {
		throw invalidField(
			ctx,
			itemIndex,
			property.field,
			`holds ${Math.round(sizeBytes / 1024 / 1024)} MB, far more than any call recording (at most ${MAX_RECORDING_BYTES / 1024 / 1024} MB)`,
		);
	}
	return { binary, fileName: name, sizeBytes };
}

/** The recording as base64, for FILE_CONTENT. Only used below the inline limit. */
export async function recordingBase64(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
	recording: Recording,
): Promise<string> {
	if (!recording.binary.id && recording.binary.data) return recording.binary.data;
	return (await ctx.helpers.getBinaryDataBuffer(itemIndex, propertyName)).toString('base64');
}

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

function fromUrl(ctx: IExecuteFunctions, itemIndex: number, callId: string): ItemRequest {
	const recordUrl = readParameter(ctx, itemIndex, ATTACH_FIELDS.recordUrl, '', toPublicUrl);
	const params: IDataObject = { CALL_ID: callId, RECORD_URL: recordUrl };
	const fileName = String(ctx.getNodeParameter('fileName', itemIndex, '') ?? '');
	if (fileName.trim() !== '')
		params.FILENAME = checkRecordingFileName(ctx, itemIndex, ATTACH_FIELDS.fileName, fileName);
	return {
		// Attaching again replaces the record: safe to repeat.
		commands: { attach: { method: METHOD, params: params, idempotent: true } },
		output: ({ attach }) => ({ ...(attach as IDataObject), callId }),
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
	const summary = { callId, fileName: recording.fileName, sizeBytes: recording.sizeBytes };
	if (recording.sizeBytes <= INLINE_RECORDING_LIMIT_BYTES) {
		const content = await recordingBase64(ctx, itemIndex, propertyName, recording);
		return {
			commands: {
				attach: {
					method: METHOD,
					params: { CALL_ID: callId, FILENAME: recording.fileName, FILE_CONTENT: content },
					idempotent: true,
				},
			},
			output: ({ attach }) => ({ ...(attach as IDataObject), ...summary, uploadedVia: 'base64' }),
		};
	}
	return {
		run: async (transport) => {
			// Step 1: FILENAME without content asks Bitrix24 for an upload link.
			const { result } = await transport.call(
				METHOD,
				{ CALL_ID: callId, FILENAME: recording.fileName },
				{ idempotent: true },
			);
			const link = (result ?? {}) as IDataObject;
			const content = recording.binary.id
				? await ctx.helpers.getBinaryStream(recording.binary.id)
				: Buffer.from(recording.binary.data, 'base64');
			// Step 2: the file itself, as multipart field `file`.
			const uploaded = await uploadMultipart(transport, METHOD, String(link.uploadUrl ?? ''), {
				fieldName: String(link.fieldName ?? 'file'),
				fileName: recording.fileName,
				mimeType: recording.binary.mimeType || 'application/octet-stream',
				sizeBytes: recording.sizeBytes,
				content,
			});
			return { ...((uploaded.result ?? {}) as IDataObject), ...summary, uploadedVia: 'uploadUrl' };
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
				"A URL Bitrix24's servers can download the recording from (RECORD_URL); it must answer 200",
			displayOptions: { show: { ...show, source: ['url'] } },
		},
		{
			displayName: ATTACH_FIELDS.fileName.displayName,
			name: ATTACH_FIELDS.fileName.name,
			type: 'string',
			default: '',
			placeholder: 'e.g. call-1710140185.mp3',
			description:
				"The recording's file name in Bitrix24 (FILENAME), ending in .mp3 or .wav. Defaults to the binary file's name, or the URL's.",
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
