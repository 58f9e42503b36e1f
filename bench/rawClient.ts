/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * A client that costs nothing: plain `http.request` with Node's keep-alive agent, no engine, no
 * node. Its round trips are what the node's figures are compared with.
 */
import * as http from 'http';
import { performance } from 'perf_hooks';

import type { SentRequest } from './portalProcess';

/** One JSON POST, timed from the request to the last byte of the answer. */
export function rawPost(url: string, body: unknown): Promise<{ ms: number; answer: unknown }> {
	const payload = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Accept: 'application/json',
					'Content-Length': Buffer.byteLength(payload),
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const ms = performance.now() - start;
					try {
						resolve({ ms, answer: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
					} catch (error) {
						reject(error as Error);
					}
				});
			},
		);
		request.on('error', reject);
		request.end(payload);
	});
}

/**
 * Sends the node's own requests again, one after another, each as soon as the previous answer is
 * in, and returns each round trip. Used on a fresh portal, so the portal does the same work.
 */
export async function replay(webhookUrl: string, requests: SentRequest[]): Promise<number[]> {
	const times: number[] = [];
	for (const { restMethod, params } of requests) {
		const { ms, answer } = await rawPost(`${webhookUrl}${restMethod}.json`, params);
		if ((answer as { error?: unknown }).error !== undefined)
			throw new Error(`replayed ${restMethod} failed: ${JSON.stringify(answer).slice(0, 200)}`);
		times.push(ms);
	}
	return times;
}
