/**
 * The bucket math of the benchmark: the theoretical floor of a run, and the projected time of the
 * one-request-per-item baseline where running it would take too long.
 */
import { LeakyBucket } from '../nodes/Bitrix24Telephony/transport/rateLimiter';

export interface PortalLimits {
	/** X: the request that finds the counter above this is refused. */
	burst: number;
	/** Y: the counter drains continuously by this much per second. */
	drainPerSecond: number;
}

/**
 * The theoretical floor: the earliest moment a client that sends `requests` requests one after
 * another (each sent when the previous answer is in) can have its last answer, if it never gets a
 * 503 and costs nothing itself. Bitrix24's bucket starts empty, admits a request when its counter
 * (drained continuously by Y per second) is at most X, and adds 1; every request then takes the
 * round trip `rttMs`. Request k is sent at s(k) = max(f(k-1), the bucket's earliest admission),
 * answered at f(k) = s(k) + rttMs; the floor is f(last).
 *
 * For up to ~X requests this is requests × round trip; beyond, the drain dominates:
 * ≈ (requests − X) / Y seconds. `rttMs` may vary per request (k = 0, 1, …).
 */
export function sequentialFloorMs(
	requests: number,
	rttMs: number | ((k: number) => number),
	limits: PortalLimits,
): number {
	const roundTrip = typeof rttMs === 'number' ? () => rttMs : rttMs;
	let t = 0;
	let level = 0;
	let at = 0;
	for (let k = 0; k < requests; k++) {
		let drained = Math.max(0, level - ((t - at) / 1000) * limits.drainPerSecond);
		if (drained > limits.burst) {
			t += ((drained - limits.burst) / limits.drainPerSecond) * 1000;
			drained = limits.burst;
		}
		level = drained + 1;
		at = t;
		t += roundTrip(k);
	}
	return t;
}

/**
 * Projected time of `requests` sequential requests under OUR client limiter (the same
 * LeakyBucket class the transport uses, on a simulated clock), each taking `serviceMs` once
 * admitted (measured: one register's time through the node).
 */
export function projectedSequentialMs(
	requests: number,
	serviceMs: number,
	limits: PortalLimits,
): number {
	const bucket = new LeakyBucket(limits.burst, limits.drainPerSecond);
	const origin = 1_000_000_000;
	let t = origin;
	for (let k = 0; k < requests; k++) {
		t += bucket.reserve(t);
		t += serviceMs;
	}
	return t - origin;
}

/** Requests the node needs for `items` single-command items in batches of `perBatch`. */
export function batchRequests(items: number, perBatch = 50): number {
	return Math.ceil(items / perBatch);
}
