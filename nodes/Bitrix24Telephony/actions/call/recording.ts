/**
 * A call recording as the node sends it, for Attach Record and Log Completed Call: read from the
 * item's binary data, checked (.mp3/.wav, size, audio content) and named, all before any request
 * (docs/bitrix24-fidelity.md rows 38–40, 50–52). Bitrix24 stores every recording in one
 * Disk folder per month under the name it is given and refuses a second file of that name, keeps
 * the case of the extension (`REC.MP3` is refused), and sniffs the content (`CFile::CheckFile`).
 * So the node names each recording after its call, lower-cases the extension, and refuses content
 * that is plainly not audio (an HTML error page saved as the recording) while it still can.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BatchReference } from '../../transport/batch';
import type { Bitrix24Failure } from '../../transport/errors';
import { invalidField, type FieldRef } from '../read';

/** Bitrix24 accepts these extensions only, in lower case (`Helper::attachRecord`). */
const AUDIO_EXTENSION = /\.(mp3|wav)$/i;

/**
 * Disk's answer to a second file of the same name in the month's folder
 * (`DISK_OBJECT_NAME_SERVICE_ERROR_FILE_NON_UNIQUE_NAME`), and the older Disk wording.
 */
const NAME_TAKEN = ['File with this name already exists.', 'The object name is not unique.'];

export function hasAudioExtension(name: string): boolean {
	return AUDIO_EXTENSION.test(name);
}

/** The same name with its extension in lower case (`CALL-1.MP3` → `CALL-1.mp3`). */
export function lowerCaseExtension(name: string): string {
	return name.replace(AUDIO_EXTENSION, (extension) => extension.toLowerCase());
}

/** Room for the name after the CALL_ID (about 60 characters) within Disk's 255. */
const MAX_OWN_NAME_LENGTH = 160;

/**
 * `<CALL_ID> <name>`: unique per call, and the same on every retry of that call, so a retry whose
 * first attempt was stored meets Bitrix24's "already exists" for its own file (`alreadyAttached`).
 * A space separates the two because inside a `batch` a `$result[…]` reference runs up to the next
 * whitespace (`CRestUtil::processBatchElement`), and Log Completed Call learns the CALL_ID that way.
 */
export function recordingName(callId: string, name: string): string {
	return `${callId} ${ownName(name.startsWith(`${callId} `) ? name.slice(callId.length + 1) : name)}`;
}

/** The same name inside a `batch`, after the reference to register's CALL_ID. */
export function recordingNameAfter(callId: BatchReference, name: string): BatchReference {
	return callId.followedBy(` ${ownName(name)}`);
}

/** The given name, extension in lower case, cut to fit (keeping the extension). */
function ownName(name: string): string {
	const lower = lowerCaseExtension(name);
	if (lower.length <= MAX_OWN_NAME_LENGTH) return lower;
	const dot = lower.lastIndexOf('.');
	return lower.slice(0, MAX_OWN_NAME_LENGTH - (lower.length - dot)) + lower.slice(dot);
}

/** Whether Bitrix24 refused a recording because a file of its name is already in the folder. */
export function isNameTaken(reason: string): boolean {
	return NAME_TAKEN.some((text) => reason.includes(text));
}

/**
 * The file name of a recording URL: its path's last segment, else a query value that names a
 * file (`download.php?file=/monitor/rec.wav`, as PBX download links often look). Empty when
 * neither ends in .mp3 or .wav: the node does not fetch the URL to learn its type (it would have
 * to send without the Bitrix24 credential, outside n8n's authenticated request helper).
 */
export function fileNameOfUrl(url: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return '';
	}
	const base = (path: string) => path.split('/').filter(Boolean).pop() ?? '';
	const candidates = [
		safeDecode(base(parsed.pathname)),
		...[...parsed.searchParams.values()].map((value) => base(value)),
	];
	return candidates.find(hasAudioExtension) ?? '';
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

/** Signatures of audio that Bitrix24's sniffer recognises (libmagic, as CFile::CheckFile uses it). */
function looksLikeAudio(head: Buffer): boolean {
	const ascii = head.subarray(0, 12).toString('latin1');
	if (ascii.startsWith('ID3') || ascii.startsWith('fLaC') || ascii.startsWith('OggS')) return true;
	if (/^(RIFF|RF64)/.test(ascii) && ascii.slice(8, 12) === 'WAVE') return true;
	// An MPEG audio frame: 11 sync bits.
	return head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0;
}

/** Non-audio files that get saved as a "recording" by mistake, by their first bytes. */
const NOT_AUDIO: Array<[RegExp, string]> = [
	[/^\s*(<!doctype html|<html|<head|<body|<title|<h1|<p\b)/i, 'an HTML page'],
	[/^\s*<\?xml|^\s*</, 'an XML or HTML document'],
	[/^\s*[[{]/, 'JSON text'],
	[/^%PDF/, 'a PDF document'],
	[/^PK/, 'a ZIP archive'],
	[/^\x89PNG/, 'a PNG image'],
	[/^GIF8/, 'a GIF image'],
];

/**
 * What the first bytes show when they are plainly not audio ("an HTML page"), else undefined.
 * Unknown binary content passes: Bitrix24's own sniffer knows more formats than this list, and
 * its refusal ("Invalid file type") comes back with its words.
 */
export function notAudio(head: Buffer): string | undefined {
	if (head.length === 0 || looksLikeAudio(head)) return undefined;
	if (head[0] === 0xff && head[1] === 0xd8) return 'a JPEG image';
	if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed data';
	const text = head.toString('latin1');
	const known = NOT_AUDIO.find(([pattern]) => pattern.test(text));
	if (known) return known[1];
	// Printable text only (UTF-8 letters included): an error message or a log, not a recording.
	const printable = [...head].every(
		(byte) => byte >= 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d,
	);
	return printable ? 'text' : undefined;
}

/** Up to this size a recording goes inline as base64 (batchable); above, the two-step upload. */
export const INLINE_RECORDING_LIMIT_BYTES = 2 * 1024 * 1024;

/** A call recording larger than this is a mistake (a wrong file), not a call. */
export const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

/** Enough of the file's start to tell audio from an HTML page or JSON. */
const HEAD_BYTES = 64;

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
	if (!hasAudioExtension(name)) {
		throw invalidField(
			ctx,
			itemIndex,
			field,
			`is "${name.slice(0, 60)}", but Bitrix24 accepts only .mp3 and .wav recordings`,
			'Convert the recording to MP3 first, or rename it if it already is one.',
		);
	}
	// Bitrix24's own check keeps case ("REC.MP3" is refused): sent as "REC.mp3".
	return lowerCaseExtension(name);
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
	const kind = notAudio(await firstBytes(ctx, binary));
	if (kind) {
		throw invalidField(
			ctx,
			itemIndex,
			property.field,
			`holds ${kind} ("${name.slice(0, 60)}"), not an audio recording`,
			'Bitrix24 stores only MP3 or WAV audio. Check the step that fetched the recording: it may have saved an error page instead.',
		);
	}
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

/** The file's first bytes, without reading all of it. */
async function firstBytes(ctx: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id)
		return Buffer.from((binary.data ?? '').slice(0, (HEAD_BYTES / 3) * 4 + 4), 'base64');
	const stream = await ctx.helpers.getBinaryStream(binary.id, HEAD_BYTES);
	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stream as AsyncIterable<Buffer>) {
		chunks.push(Buffer.from(chunk));
		length += chunk.length;
		if (length >= HEAD_BYTES) break;
	}
	(stream as { destroy?: () => void }).destroy?.();
	return Buffer.concat(chunks).subarray(0, HEAD_BYTES);
}

/**
 * Bitrix24's "already exists" for a recording's own name: an earlier attempt stored it (its
 * answer was lost), so the recording is attached; reported as success, flagged.
 */
export function alreadyAttached(failure: Bitrix24Failure): IDataObject | undefined {
	return isNameTaken(failure.details.reason) ? { alreadyAttached: true } : undefined;
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
