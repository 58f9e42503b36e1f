/**
 * Request parameters as CRestUtil::getRequestData builds them:
 * query string plus body, the body replacing top-level keys (array_replace). JSON is read only
 * with Content-Type application/json (parameters after ";" ignored); invalid JSON means no
 * parameters. Form and multipart fields use PHP bracket syntax. Multipart bodies are consumed
 * as a stream: file parts are digested, never buffered.
 */
import { FileDigest } from './file-store';
import { MultipartParser } from './multipart';
import { parsePairs, parseStr, sanitizeJson } from './php-query';
import { isPhpArray, Params } from './php-values';

/** A file part of a multipart body ($_FILES). */
export interface ReceivedFile {
	field: string;
	filename: string;
	digest: FileDigest;
}

export type RequestBody =
	| { kind: 'raw'; data: Buffer }
	| { kind: 'multipart'; collector: MultipartCollector };

export interface ParsedRequest {
	params: Params;
	files: ReceivedFile[];
}

function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/** Feeds a multipart body chunk by chunk; text fields are kept, files only digested. */
export class MultipartCollector {
	readonly fields: Array<[string, string]> = [];
	readonly files: ReceivedFile[] = [];
	private readonly parser: MultipartParser;

	constructor(boundary: string) {
		let field: { name: string; chunks: Buffer[] } | null = null;
		let file: ReceivedFile | null = null;
		this.parser = new MultipartParser(boundary, {
			start: (headers) => {
				if (headers.filename === null) field = { name: headers.name, chunks: [] };
				else file = { field: headers.name, filename: headers.filename, digest: new FileDigest() };
			},
			data: (chunk) => {
				if (field) field.chunks.push(chunk);
				if (file) file.digest.update(chunk);
			},
			end: () => {
				if (field) this.fields.push([field.name, Buffer.concat(field.chunks).toString('utf8')]);
				if (file) this.files.push(file);
				field = null;
				file = null;
			},
		});
	}

	write(chunk: Buffer): void {
		this.parser.write(chunk);
	}
}

export function parseRequest(
	rawQuery: string,
	contentType: string | undefined,
	body: RequestBody,
): ParsedRequest {
	const query = parseStr(rawQuery);
	if (body.kind === 'multipart') {
		return {
			params: { ...query, ...parsePairs(body.collector.fields) },
			files: body.collector.files,
		};
	}
	return { params: { ...query, ...parseRawBody(contentType, body.data) }, files: [] };
}

function parseRawBody(contentType: string | undefined, data: Buffer): Params {
	if (data.length === 0) return {};
	const type = mediaType(contentType);
	if (type === 'application/json') return parseJsonObject(data.toString('utf8'));
	if (type === 'application/x-www-form-urlencoded') return parseStr(data.toString('utf8'));
	return {};
}

/** A JSON body counts only when it decodes to an array or object. */
function parseJsonObject(text: string): Params {
	try {
		const decoded = sanitizeJson(JSON.parse(text));
		if (!isPhpArray(decoded)) return {};
		return Array.isArray(decoded)
			? Object.fromEntries(decoded.map((value, index) => [String(index), value]))
			: decoded;
	} catch {
		return {};
	}
}
