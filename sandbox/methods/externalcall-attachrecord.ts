/**
 * telephony.externalCall.attachRecord (docs/bitrix24-fidelity.md rows 9–11) and the `upload` endpoint of its two-step flow.
 * Branches as in vi_rest.php: RECORD_URL set -> download; FILENAME set -> upload link when
 * FILE_CONTENT is absent, base64 content otherwise; neither -> error. Only finished calls qualify.
 */
import type { AuthIdentity } from '../auth';
import { coreError } from '../errors';
import { attachRecording, FileDigest, fileExtension, RECORD_EXTENSIONS } from '../file-store';
import { checkAudioFile } from '../record-checks';
import { download } from '../http-download';
import { httpBuildQuery } from '../php-query';
import {
	isPhpArray,
	isSet,
	phpArrayValues,
	phpLooseEqualsEmptyString,
	phpString,
	PhpValue,
} from '../php-values';
import type { SandboxRuntime } from '../runtime';
import type { FinishedCall } from '../state';
import { MethodContext, MethodDefinition, ok } from './context';
import { requirePublicRecordUrl } from './record-url-policy';

/** Bigger recordings are refused (the sandbox's own cap, not a portal limit). */
const MAX_RECORD_BYTES = 200 * 1024 * 1024;
const NOT_FINISHED = 'Call is not found in the statistic table. Looks like it is not finished yet.';
const WRONG_EXTENSION = 'Wrong file extension. Only wav and mp3 are allowed';

export const attachRecordMethod: MethodDefinition = {
	name: 'telephony.externalcall.attachrecord',
	scope: 'telephony',
	async handler(ctx: MethodContext) {
		const { params } = ctx;
		const callId = isSet(params.CALL_ID) ? phpString(params.CALL_ID) : null;
		if (isSet(params.RECORD_URL)) {
			return ok(
				await attachFromUrl(
					ctx.runtime,
					callId,
					phpString(params.RECORD_URL),
					phpString(params.FILENAME),
				),
			);
		}
		if (isSet(params.FILENAME))
			return ok(attachFromContent(ctx, callId, params.FILENAME, params.FILE_CONTENT));
		throw coreError(
			'Required parameters are not set. Request should contain or URL or FILENAME parameter',
		);
	},
};

/** `upload` reached through the signed uploadUrl; the file arrives in multipart field `file`. */
export const uploadMethod: MethodDefinition = {
	name: 'upload',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const file = ctx.files.find((candidate) => candidate.field === 'file');
		if (!file) throw coreError('Error: required parameter file is not found');
		if (!RECORD_EXTENSIONS.includes(fileExtension(file.filename))) throw coreError(WRONG_EXTENSION);
		const callId = phpString(ctx.params.callId);
		const finished = requireFinished(ctx.runtime, callId);
		// Helper::uploadRecord goes straight to saveFile: no CFile::CheckFile on this path.
		const fileId = attachRecording(ctx.runtime.state, ctx.runtime.now(), {
			callId,
			callStartMs: finished.call.dateCreate,
			fileName: file.filename,
			digest: file.digest,
			source: 'upload',
		});
		return ok({ FILE_ID: fileId });
	},
};

function requireFinished(runtime: SandboxRuntime, callId: string | null): FinishedCall {
	const finished =
		callId === null ? undefined : runtime.state.statistics.find((row) => row.callId === callId);
	if (!finished) throw coreError(NOT_FINISHED);
	return finished;
}

/** Throws CFile::CheckFile's message when the bytes are not audio or the extension is not mp3/flac/wav. */
function requireAudio(name: string, digest: FileDigest): void {
	const problem = checkAudioFile(name, digest.firstBytes);
	if (problem !== '') throw coreError(problem);
}

/**
 * Helper::attachRecordWithUrl: a 200 answer is saved under FILENAME, else the URL path's base name
 * (MakeFileArray of a temp file named so), then RecordFile::isCorrectFromArray sniffs it: no
 * case-sensitive extension check here, only CheckFile's case-insensitive mp3/flac/wav.
 */
async function attachFromUrl(
	runtime: SandboxRuntime,
	callId: string | null,
	url: string,
	fileName: string,
): Promise<{ FILE_ID: number }> {
	const finished = requireFinished(runtime, callId);
	if (runtime.settings.recordUrlPolicy === 'publicOnly') await requirePublicRecordUrl(url);
	const outcome = await download(url, MAX_RECORD_BYTES);
	if (outcome.kind === 'network-error') throw coreError(`${outcome.code}: ${outcome.message}`);
	if (outcome.status !== 200) throw coreError(`Server returns HTTP error code ${outcome.status}`);
	const name = fileName !== '' ? baseName(fileName) : baseName(urlPath(url) || url);
	requireAudio(name, outcome.digest);
	const fileId = attachRecording(runtime.state, runtime.now(), {
		callId: callId as string,
		callStartMs: finished.call.dateCreate,
		fileName: name,
		digest: outcome.digest,
		source: 'url',
		sourceUrl: url,
	});
	return { FILE_ID: fileId };
}

/** Helper::attachRecord: no content -> upload link; otherwise CRestUtil::saveFile on base64 content. */
function attachFromContent(
	ctx: MethodContext,
	callId: string | null,
	fileNameValue: PhpValue,
	content: PhpValue | undefined,
): unknown {
	const { runtime } = ctx;
	const finished = requireFinished(runtime, callId);
	if (!isSet(content))
		return { uploadUrl: uploadUrl(runtime, ctx.auth, callId as string), fieldName: 'file' };
	if (phpLooseEqualsEmptyString(fileNameValue)) throw coreError('File name is empty');
	let fileName = phpString(fileNameValue);
	if (!RECORD_EXTENSIONS.includes(fileExtension(fileName))) throw coreError(WRONG_EXTENSION);

	// saveFile() accepts [name, content] pairs too.
	let text = phpString(content);
	if (isPhpArray(content)) {
		const [pairName, pairContent] = phpArrayValues(content);
		fileName = phpString(pairName) || fileName;
		text = phpString(pairContent);
	}
	if (text.length === 0 || text === 'false') throw coreError('File content is empty.');
	const bytes = phpBase64Decode(text);
	if (bytes.length === 0)
		throw coreError('File content is not properly encoded. Base64 encoding is expected.');
	const digest = new FileDigest();
	digest.update(bytes);
	requireAudio(fileName, digest);
	const fileId = attachRecording(runtime.state, runtime.now(), {
		callId: callId as string,
		callStartMs: finished.call.dateCreate,
		fileName,
		digest,
		source: 'base64',
	});
	return { FILE_ID: fileId };
}

/** CRestUtil::getUploadUrl: webhook endpoint with the token, or upload.json with auth + token. */
function uploadUrl(runtime: SandboxRuntime, auth: AuthIdentity, callId: string): string {
	const token = runtime.uploadTokens.create(
		'upload',
		'telephony',
		{ callId },
		auth.credentialParts,
	);
	if (auth.type === 'webhook') {
		const [userId, code] = auth.credentialParts;
		return `${runtime.baseUrl}/rest/${encodeURIComponent(userId)}/${encodeURIComponent(code)}/upload/?${httpBuildQuery({ token })}`;
	}
	return `${runtime.baseUrl}/rest/upload.json?${httpBuildQuery({ auth: auth.accessToken, token })}`;
}

/** PHP base64_decode() without strict mode: characters outside the alphabet are skipped. */
function phpBase64Decode(text: string): Buffer {
	const cleaned = text.replace(/[^A-Za-z0-9+/]/g, '');
	const usable = cleaned.length % 4 === 1 ? cleaned.slice(0, -1) : cleaned;
	return Buffer.from(usable, 'base64');
}

function urlPath(url: string): string {
	try {
		return new URL(url).pathname;
	} catch {
		return '';
	}
}

function baseName(path: string): string {
	return (
		path
			.split('/')
			.filter((part) => part !== '')
			.pop() ?? ''
	);
}
