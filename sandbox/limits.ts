/**
 * The two cloud limits: a leaky bucket of requests per client IP (503 QUERY_LIMIT_EXCEEDED past
 * its burst) and the operating time a method may spend per app or webhook in ten minutes
 * (429 OPERATION_TIME_LIMIT once used up).
 */
import type { LimitStats, OperatingLimitOptions, RateLimitOptions } from './types';

export const PLAN_LIMITS = {
	standard: { burst: 50, drainPerSecond: 2 },
	enterprise: { burst: 250, drainPerSecond: 5 },
} as const satisfies Record<string, RateLimitOptions>;

export function emptyStats(): LimitStats {
	return { accepted: 0, rejected503: 0, rejected429: 0, peakCounter: 0 };
}

/**
 * Leaky bucket per (portal, client IP). Every accepted HTTP request adds 1; the counter drains
 * continuously at drainPerSecond. The request that finds the counter above `burst` gets 503, so
 * burst + 1 requests pass in an instant. Rejected requests do not add to the counter.
 */
export class LeakyBucket {
	private readonly counters = new Map<string, { level: number; at: number }>();

	constructor(
		private readonly options: RateLimitOptions,
		private readonly now: () => number,
		private readonly stats: LimitStats,
	) {}

	tryAcquire(clientKey: string): boolean {
		const now = this.now();
		const entry = this.counters.get(clientKey) ?? { level: 0, at: now };
		const drained = Math.max(
			0,
			entry.level - ((now - entry.at) / 1000) * this.options.drainPerSecond,
		);
		if (drained > this.options.burst) {
			this.counters.set(clientKey, { level: drained, at: now });
			return false;
		}
		const level = drained + 1;
		this.counters.set(clientKey, { level, at: now });
		this.stats.peakCounter = Math.max(this.stats.peakCounter, level);
		return true;
	}
}

export interface OperatingSnapshot {
	/** Seconds used by this method and credential in the last 10 minutes. */
	operating: number;
	/** Unix time when the oldest counted minute leaves the window. */
	resetAt: number | null;
}

const WINDOW_MINUTES = 10;

/**
 * LoadLimiter: per (app or webhook, method), 10 one-minute buckets. A call is refused with 429
 * once the window total has exceeded the limit; every executed call adds its simulated cost.
 */
export class OperatingLimiter {
	private readonly buckets = new Map<string, Map<number, number>>();

	constructor(
		private readonly options: OperatingLimitOptions,
		private readonly now: () => number,
	) {}

	isBlocked(entity: string, method: string): boolean {
		return this.snapshot(entity, method).operating > this.options.limitSeconds;
	}

	register(entity: string, method: string): void {
		const key = `${entity}|${method}`;
		const minutes = this.buckets.get(key) ?? new Map<number, number>();
		const minute = this.currentMinute();
		minutes.set(minute, (minutes.get(minute) ?? 0) + this.costOf(method));
		this.buckets.set(key, minutes);
	}

	snapshot(entity: string, method: string): OperatingSnapshot {
		const minutes = this.buckets.get(`${entity}|${method}`);
		const first = this.currentMinute() - WINDOW_MINUTES + 1;
		let operating = 0;
		let oldest: number | null = null;
		for (const [minute, seconds] of minutes ?? []) {
			if (minute < first) {
				minutes?.delete(minute);
				continue;
			}
			operating += seconds;
			oldest = oldest === null ? minute : Math.min(oldest, minute);
		}
		return { operating, resetAt: oldest === null ? null : (oldest + WINDOW_MINUTES) * 60 };
	}

	private costOf(method: string): number {
		const cost = this.options.costSecondsPerCall;
		if (typeof cost === 'number') return cost;
		return cost[method] ?? cost['*'] ?? 0;
	}

	private currentMinute(): number {
		return Math.floor(this.now() / 60000);
	}
}
