/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * One event POST to a handler URL, as Bitrix24's webhook engine sends it: form-encoded, its own
 * User-Agent, certificates not checked (handlers are often self-signed), a 10 s timeout, and no
 * retry. A failed delivery is reported (status 0), never thrown, so one dead handler does not
 * stop the others.
 */
import * as http from 'http';
import * as https from 'https';
import type { Delivery } from './types';

const DELIVERY_TIMEOUT_MS = 10000;

export function postEvent(url: string, payload: string): Promise<Delivery> {
	return new Promise((resolve) => {
		const target = new URL(url);
		const client = target.protocol === 'https:' ? https : http;
		const request = client.request(
			target,
			{
				method: 'POST',
				timeout: DELIVERY_TIMEOUT_MS,
				rejectUnauthorized: false,
				headers: {
					'Content-Type': 'application/x-www-form-urlencoded',
					'Content-Length': Buffer.byteLength(payload),
					'User-Agent': 'Bitrix24 Webhook Engine',
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () =>
					resolve({
						url,
						status: response.statusCode ?? 0,
						body: Buffer.concat(chunks).toString('utf8'),
						payload,
					}),
				);
			},
		);
		request.on('timeout', () => request.destroy(new Error('Delivery timed out')));
		request.on('error', (error) => resolve({ url, status: 0, body: error.message, payload }));
		request.end(payload);
	});
}
