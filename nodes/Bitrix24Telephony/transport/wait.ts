import { sleep } from 'n8n-workflow';

import { Bitrix24Failure } from './errors';

/** Longest single sleep, so that a cancelled execution stops waiting promptly. */
const SLICE_MS = 250;

/**
 * Waits `ms`, in slices, giving up as soon as the execution is cancelled. Uses n8n-workflow's
 * `sleep` (raw timers are not allowed in verified nodes).
 */
export async function waitFor(ms: number, method: string, signal?: AbortSignal): Promise<void> {
	const end = Date.now() + Math.max(0, ms);
	for (;;) {
		if (signal?.aborted) {
			throw new Bitrix24Failure({
				kind: 'cancelled',
				method,
				code: 'CANCELLED',
				reason: 'The execution was cancelled',
				message: 'The execution was cancelled while waiting for Bitrix24',
				description: 'Nothing more was sent.',
			});
		}
		const left = end - Date.now();
		if (left <= 0) return;
		await sleep(Math.min(left, SLICE_MS));
	}
}
