/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The other end of the example workflows, on 127.0.0.1: a PBX that serves call recordings and
 * answers originate requests, and a chat webhook that receives missed-call notifications.
 * Everything received is recorded for the tests.
 */
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

/** A few bytes that start like an MP3 file (an ID3 tag), which passes Bitrix24's audio check. */
export const RECORDING = Buffer.concat([
	Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'binary'),
	Buffer.alloc(2048, 0x55),
]);
export const RECORDING_SHA256 = createHash('sha256').update(RECORDING).digest('hex');

/** What the fake PBX answers to originate: the call as it ended. */
export const ORIGINATE_RESULT = { disposition: 'ANSWERED', billsec: 37 };

export interface FakePbx {
	url: string;
	recordingUrl(fileName: string): string;
	originateUrl: string;
	notifyUrl: string;
	originates: Array<Record<string, unknown>>;
	notifications: Array<Record<string, unknown>>;
	recordingDownloads: string[];
	close(): Promise<void>;
}

export async function startFakePbx(): Promise<FakePbx> {
	const originates: Array<Record<string, unknown>> = [];
	const notifications: Array<Record<string, unknown>> = [];
	const recordingDownloads: string[] = [];

	const server = http.createServer((request, response) => {
		let body = '';
		request.on('data', (chunk: Buffer) => (body += chunk.toString()));
		request.on('end', () => {
			const url = request.url ?? '';
			if (request.method === 'GET' && url.startsWith('/recordings/')) {
				recordingDownloads.push(url);
				response.writeHead(200, {
					'content-type': 'audio/mpeg',
					'content-length': RECORDING.length,
				});
				response.end(RECORDING);
			} else if (request.method === 'POST' && url === '/originate') {
				originates.push(JSON.parse(body) as Record<string, unknown>);
				response.writeHead(200, { 'content-type': 'application/json' });
				response.end(JSON.stringify(ORIGINATE_RESULT));
			} else if (request.method === 'POST' && url === '/notify') {
				notifications.push(JSON.parse(body) as Record<string, unknown>);
				response.writeHead(200, { 'content-type': 'text/plain' });
				response.end('ok');
			} else {
				response.writeHead(404);
				response.end();
			}
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		recordingUrl: (fileName) => `${url}/recordings/${fileName}`,
		originateUrl: `${url}/originate`,
		notifyUrl: `${url}/notify`,
		originates,
		notifications,
		recordingDownloads,
		close: () => new Promise((resolve) => server.close(() => resolve())),
	};
}
