/**
 * A client-side copy of Bitrix24's leaky bucket, one per portal, shared by every execution in
 * this n8n process, so that a busy n8n never trips the portal's limit by itself.
 *
 * Bitrix24 counts each HTTP request (a `batch` counts once), drains the counter by Y per second
 * and answers 503 QUERY_LIMIT_EXCEEDED when a request finds it above X (X=50, Y=2; Enterprise
 * 250 and 5). We keep our counter a little below X and drain a little slower than Y, so clock
 * skew and the server's per-second steps never push us over.
 *
 * Also the cancellable wait that every pause before sending (bucket, 429 block, pacing) goes through.
 */
import { sleep } from 'n8n-workflow';

import { Bitrix24Failure } from './errors';

export type Bitrix24Plan = 'standard' | 'enterprise';

export const PLAN_LIMITS: Record<Bitrix24Plan, { burst: number; perSecond: number }> = {
	standard: { burst: 50, perSecond: 2 },
	enterprise: { burst: 250, perSecond: 5 },
};

/** Requests kept in reserve below the portal's burst. */
const BURST_MARGIN = 2;
/** Fraction of the portal's drain rate we count on. */
const DRAIN_FACTOR = 0.97;

export class LeakyBucket {
	private level = 0;
	private updatedAt = 0;
	readonly capacity: number;
	readonly perMs: number;

	constructor(burst: number, perSecond: number) {
		this.capacity = Math.max(1, burst - BURST_MARGIN);
		this.perMs = (perSecond * DRAIN_FACTOR) / 1000;
	}

	private drain(now: number): void {
		// Clocks can step back; never let that refill the bucket.
		const elapsed = Math.max(0, now - this.updatedAt);
		this.level = Math.max(0, this.level - elapsed * this.perMs);
		this.updatedAt = Math.max(this.updatedAt, now);
	}

	/**
	 * Reserves a slot and returns how long to wait before using it. Reserving at once (rather than
	 * waiting, then checking) keeps concurrent executions in order and never over-books the bucket.
	 */
	reserve(now = Date.now()): number {
		this.drain(now);
		this.level += 1;
		const excess = this.level - this.capacity;
		return excess <= 0 ? 0 : Math.ceil(excess / this.perMs);
	}

	/** The portal said we are over its limit (another process shares it): assume the bucket is full. */
	markFull(now = Date.now()): void {
		this.drain(now);
		this.level = Math.max(this.level, this.capacity);
	}
}

const buckets = new Map<string, LeakyBucket>();

/**
 * The bucket of one portal; `portalKey` is its origin (the limit is per portal and address).
 * `processes` n8n processes share the address: this one keeps to its share.
 */
export function bucketFor(portalKey: string, plan: Bitrix24Plan, processes = 1): LeakyBucket {
	const key = `${plan}:${processes}:${portalKey}`;
	let bucket = buckets.get(key);
	if (!bucket) {
		const { burst, perSecond } = PLAN_LIMITS[plan] ?? PLAN_LIMITS.standard;
		bucket = new LeakyBucket(Math.floor(burst / processes), perSecond / processes);
		buckets.set(key, bucket);
	}
	return bucket;
}

/** For tests: forget every portal's state. */
export function resetRateLimiters(): void {
	buckets.clear();
}

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
