/**
 * The second step of Bitrix24's two-step recording upload: POST the file as multipart/form-data
 * to the `uploadUrl` Bitrix24 handed out. Built by hand around n8n's binary stream, so that a
 * large recording flows from n8n's binary storage to Bitrix24 without being held in memory
 * (verified nodes may not import form-data or Node's stream module).
 */
import { randomBytes } from 'crypto';
import type { BinaryHelperFunctions } from 'n8n-workflow';

import type { Bitrix24Envelope, Bitrix24Transport } from './transport';
import { Bitrix24Failure } from './errors';

export interface UploadFile {
	fieldName: string;
	fileName: string;
	mimeType: string;
	sizeBytes: number;
	/** The content, as a buffer or as n8n's stream of it (`helpers.getBinaryStream`). */
	content: Buffer | BinaryStream;
}

type BinaryStream = Awaited<ReturnType<BinaryHelperFunctions['getBinaryStream']>>;

function quoted(value: string): string {
	return value.replace(/["\r\n\\]/g, '_');
}

export async function uploadMultipart(
	transport: Bitrix24Transport,
	method: string,
	uploadUrl: string,
	file: UploadFile,
): Promise<Bitrix24Envelope> {
	// The upload link must point at the portal itself: never send a file (or, with OAuth2, the
	// bearer token) to a host Bitrix24's answer happened to name.
	const target = /^https?:\/\/[^/?#]+/i.exec(uploadUrl)?.[0]?.toLowerCase();
	if (!target || target !== transport.connection.portalUrl) {
		throw new Bitrix24Failure({
			kind: 'wrongEndpoint',
			method,
			code: 'UPLOAD_URL_HOST',
			reason: `upload link host ${target ?? '(none)'}`,
			message: 'Bitrix24 returned an upload link to another host; the recording was not sent',
			description: `Expected a link on ${transport.connection.portalUrl}.`,
		});
	}
	const boundary = `----n8nBitrix24${randomBytes(12).toString('hex')}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.fieldName)}"; filename="${quoted(file.fileName)}"\r\nContent-Type: ${quoted(file.mimeType)}\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	// A stream goes through its own `compose` (Node ≥ 18.13): the multipart head, the recording
	// chunk by chunk as n8n reads it, the tail.
	const body = Buffer.isBuffer(file.content)
		? Buffer.concat([head, file.content, tail])
		: file.content.compose(async function* (recording: AsyncIterable<Buffer>) {
				yield head;
				yield* recording;
				yield tail;
			});
	return await transport.send(
		method,
		{
			url: uploadUrl,
			body: body as never,
			headers: {
				'Content-Type': `multipart/form-data; boundary=${boundary}`,
				'Content-Length': String(head.length + file.sizeBytes + tail.length),
			},
		},
		// A stream cannot be sent twice, and the first attempt may have been stored.
		{ idempotent: false },
	);
}
