/**
 * Bitrix24 does not retry events, but it may deliver one twice (docs/bitrix24-fidelity.md row 27; PBX connectors
 * such as AsterLink ignore a repeated CALL_ID for 30 s). Dialling a click-to-call twice rings the
 * client twice, so the same event for the same call starts one execution per 30 seconds.
 *
 * Why a module-level map and not the workflow's static data: duplicates arrive back to back,
 * often while the first execution still runs. n8n loads static data with the workflow for each
 * request and saves it only after an execution ends (and never for a request that starts none),
 * so a second delivery would not see the first one's mark. A map in this process is updated
 * synchronously, before the first delivery is even answered, so the second one always sees it.
 * The cost: several n8n webhook processes behind a load balancer (queue mode) each keep their
 * own map, and a duplicate landing on another process is not caught; a restart forgets the
 * marks. Both only matter within the 30-second window.
 */
import { createHash } from 'crypto';

import type { FormMap } from './formBody';

export const DEDUP_WINDOW_MS = 30_000;

/** Bounds memory if a portal (or an attacker with the token) floods the URL with distinct calls. */
const MAX_ENTRIES = 10_000;

/** Key → when it was first seen (ms). Map order is insertion order, i.e. oldest first. */
const firstSeen = new Map<string, number>();

function forget(now: number): void {
	for (const [key, at] of firstSeen) {
		if (now - at < DEDUP_WINDOW_MS && now >= at && firstSeen.size <= MAX_ENTRIES) break;
		firstSeen.delete(key);
	}
}

/**
 * Whether `key` was already seen within the window; marks it otherwise. Synchronous on purpose:
 * nothing can run between the check and the mark.
 */
export function seenRecently(key: string, now: number): boolean {
	forget(now);
	const at = firstSeen.get(key);
	if (at !== undefined && now - at < DEDUP_WINDOW_MS && now >= at) return true;
	firstSeen.delete(key);
	firstSeen.set(key, now);
	return false;
}

/** For tests: start from an empty memory. */
export function resetDedup(): void {
	firstSeen.clear();
}

export interface DedupScope {
	workflowId: string;
	nodeId: string;
	/** `webhook` (production URL) or `manual` (test URL): listening to both must not collide. */
	mode: string;
}

/**
 * What makes two deliveries "the same event": the call for ONEXTERNALCALLSTART (its CALL_ID).
 * ONEXTERNALCALLBACKSTART carries no CALL_ID, so there the whole `data` block is the identity:
 * the same request for the same number on the same line.
 */
export function dedupKey(scope: DedupScope, event: string, data: FormMap): string {
	const callId = data.CALL_ID;
	const identity =
		typeof callId === 'string' && callId !== ''
			? `call:${callId}`
			: `data:${createHash('sha256').update(JSON.stringify(data)).digest('hex')}`;
	return [scope.workflowId, scope.nodeId, scope.mode, event, identity].join('\u0000');
}
