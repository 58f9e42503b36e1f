/**
 * What a portal checks before a call recording is stored (docs/bitrix24-fidelity.md rows 38–40).
 *
 * - `CFile::CheckFile($file, 0, 'audio/', 'mp3,flac,wav')`, called by
 *   `Voximplant\Security\RecordFile::isCorrectFromArray` on base64 content and RECORD_URL downloads
 *   (not on the upload-link path, whose `Helper::uploadRecord` skips it). The file's `type` comes from
 *   `CFile::MakeFileArray` → `GetContentType($path, true)`, i.e. sniffed from the bytes, never from
 *   the name or a Content-Type header. Sources: bitrix24-core-corp
 *   `modules/voximplant/lib/security/recordfile.php`, bitrix-core-business
 *   `modules/main/classes/general/file.php` (CheckFile, MakeFileArray), its English lang file
 *   (`FILE_BAD_TYPE` = "Invalid file type"), `modules/rest/classes/general/rest_util.php` (saveFile).
 * - The month folder: `Helper::saveFile($statisticRecord['CALL_START_DATE']->format("Y-m"), …)`.
 */
import { DateTime } from 'luxon';
import { PORTAL_TIMEZONE } from './dates';

export const INVALID_FILE_TYPE = 'Invalid file type';

/**
 * A content type the way libmagic names these formats; only the `audio/` prefix matters to
 * CheckFile. MPEG audio: an ID3 tag or an MPEG frame sync (11 set bits); layer bits 00 are ADTS AAC.
 */
export function sniffContentType(head: Buffer): string {
	const ascii = head.subarray(0, 16).toString('latin1');
	if (ascii.startsWith('ID3')) return 'audio/mpeg';
	if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return 'audio/x-wav';
	if (ascii.startsWith('fLaC')) return 'audio/flac';
	if (ascii.startsWith('OggS')) return 'audio/ogg';
	if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0) {
		return ((head[1] >> 1) & 0x03) === 0 ? 'audio/x-hx-aac-adts' : 'audio/mpeg';
	}
	const text = head.toString('utf8').trimStart().toLowerCase();
	if (/^(<!doctype html|<html|<head|<body|<title|<h1|<p\b)/.test(text)) return 'text/html';
	if (text.startsWith('{') || text.startsWith('[')) return 'application/json';
	return head.length === 0 ? 'application/x-empty' : 'application/octet-stream';
}

/** GetFileExtension(): text after the last dot of the base name, case kept ("A.MP3" -> "MP3"). */
export function fileExtension(path: string): string {
	const base = path.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot === -1 ? '' : base.slice(dot + 1);
}

/**
 * CFile::CheckFile with a mime prefix and an extension list: "" when the file passes, else the
 * portal's message. The extension comparison here is case-insensitive (strtolower on both sides),
 * unlike the module's own `in_array(GetFileExtension(...), ['wav','mp3'])` check.
 */
export function checkAudioFile(name: string, head: Buffer): string {
	const extension = fileExtension(name);
	if (extension === '') return INVALID_FILE_TYPE;
	if (!sniffContentType(head).startsWith('audio/')) return INVALID_FILE_TYPE;
	if (!['mp3', 'flac', 'wav'].includes(extension.toLowerCase()))
		return `${INVALID_FILE_TYPE} (${extension.replace(/<[^>]*>/g, '')})`;
	return '';
}

/** `CALL_START_DATE->format("Y-m")`: the folder of a call's records, in the portal's timezone. */
export function recordFolder(callStartMs: number): string {
	return DateTime.fromMillis(callStartMs, { zone: PORTAL_TIMEZONE }).toFormat('yyyy-MM');
}
