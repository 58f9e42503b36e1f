/**
 * Reading a call recording from an item's binary data, checked before anything is sent:
 * Bitrix24 accepts only .mp3 and .wav, and a recording's size decides how it travels.
 */
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from '../readField';
import type { FieldRef } from '../readField';

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
