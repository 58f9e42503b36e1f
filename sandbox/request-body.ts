/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * Reads a request body off the socket: multipart streamed into a collector (recordings are never
 * held in memory), anything else buffered whole. Parsing the parameters is request-parsing.ts.
 */
import type * as http from 'http';
import { multipartBoundary } from './multipart';
import { MultipartCollector, RequestBody } from './request-parsing';

/** Request bodies above this size get 413 (recordings up to 200 MB pass). */
const MAX_BODY_BYTES = 200 * 1024 * 1024;

/** The whole body; null beyond MAX_BODY_BYTES. */
export function readBody(req: http.IncomingMessage): Promise<RequestBody | null> {
	const boundary = multipartBoundary(req.headers['content-type']);
	const collector = boundary ? new MultipartCollector(boundary) : null;
	const chunks: Buffer[] = [];
	let size = 0;
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				req.off('data', onData);
				req.pause();
				resolve(null);
				return;
			}
			if (collector) collector.write(chunk);
			else chunks.push(chunk);
		};
		req.on('data', onData);
		req.on('end', () =>
			resolve(
				collector ? { kind: 'multipart', collector } : { kind: 'raw', data: Buffer.concat(chunks) },
			),
		);
		req.on('error', reject);
	});
}
