/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * The portal's HttpClient fetching RECORD_URL: GET, redirects followed,
 * TLS not verified, body streamed into a digest.
 */
import * as http from 'http';
import * as https from 'https';
import { FileDigest } from './file-store';

const MAX_REDIRECTS = 5;
const TIMEOUT_MS = 30000;

export type DownloadOutcome =
	| { kind: 'response'; status: number; digest: FileDigest }
	| { kind: 'network-error'; code: string; message: string };

export function download(
	url: string,
	maxBytes: number,
	redirectsLeft = MAX_REDIRECTS,
): Promise<DownloadOutcome> {
	return new Promise((resolve) => {
		let target: URL;
		try {
			target = new URL(url);
		} catch {
			resolve({ kind: 'network-error', code: 'URL', message: `Invalid URL ${url}` });
			return;
		}
		const client = target.protocol === 'https:' ? https : http;
		const request = client.get(
			target,
			{ rejectUnauthorized: false, timeout: TIMEOUT_MS },
			(response) => {
				const status = response.statusCode ?? 0;
				const location = response.headers.location;
				if (status >= 300 && status < 400 && location && redirectsLeft > 0) {
					response.resume();
					resolve(download(new URL(location, target).toString(), maxBytes, redirectsLeft - 1));
					return;
				}
				const digest = new FileDigest();
				response.on('data', (chunk: Buffer) => {
					digest.update(chunk);
					if (digest.size > maxBytes)
						request.destroy(new Error(`Response exceeds ${maxBytes} bytes`));
				});
				response.on('end', () => resolve({ kind: 'response', status, digest }));
				response.on('error', (error: NodeJS.ErrnoException) => resolve(networkError(error)));
			},
		);
		request.on('timeout', () =>
			request.destroy(Object.assign(new Error('Request timed out'), { code: 'ETIMEDOUT' })),
		);
		request.on('error', (error: NodeJS.ErrnoException) => resolve(networkError(error)));
	});
}

function networkError(error: NodeJS.ErrnoException): DownloadOutcome {
	return { kind: 'network-error', code: error.code ?? 'NETWORK', message: error.message };
}
