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
	/** Seconds used by this method and credential in the baskets still counted. */
	operating: number;
	/** Unix time (whole seconds) when the oldest counted basket leaves the sum. */
	resetAt: number | null;
}

const WINDOW_SECONDS = 600;
const BASKETS = 10;

/** One basket: opened by the first call it counts, it takes calls for a minute from then. */
interface Basket {
	openedAt: number;
	seconds: number;
}

/**
 * LoadLimiter as limits.md (b24restdocs 5988ed13) describes it: per (app or webhook, method),
 * "10 one-minute baskets"; "the countdown for the basket starts from the first recorded method
 * call in the corresponding minute and lasts 10 minutes" (first call 10:05:20 → reset 10:15:20),
 * so baskets are not aligned to clock minutes. "Bitrix24 checks the accumulated value before
 * executing each call": the call that pushes the sum past the limit still runs, the next is refused.
 */
export class OperatingLimiter {
	private readonly baskets = new Map<string, Basket[]>();
	/** One basket's minute (scaled with `windowSeconds`, a test-speed knob). */
	private readonly basketMs: number;

	constructor(
		private readonly options: OperatingLimitOptions,
		private readonly now: () => number,
	) {
		this.basketMs = ((options.windowSeconds ?? WINDOW_SECONDS) * 1000) / BASKETS;
	}

	isBlocked(entity: string, method: string): boolean {
		return this.snapshot(entity, method).operating > this.options.limitSeconds;
	}

	/** Counts a finished call that started at `startedAt` and took `serverSeconds`. */
	register(entity: string, method: string, startedAt: number, serverSeconds: number): void {
		const key = `${entity}|${method}`;
		const baskets = this.live(key);
		const last = baskets[baskets.length - 1];
		const seconds = this.costOf(method, serverSeconds);
		if (last && startedAt < last.openedAt + this.basketMs) last.seconds += seconds;
		else baskets.push({ openedAt: startedAt, seconds });
		this.baskets.set(key, baskets);
	}

	snapshot(entity: string, method: string): OperatingSnapshot {
		const baskets = this.live(`${entity}|${method}`);
		const operating = baskets.reduce((sum, basket) => sum + basket.seconds, 0);
		const oldest = baskets[0];
		return {
			operating,
			resetAt: oldest ? Math.floor((oldest.openedAt + BASKETS * this.basketMs) / 1000) : null,
		};
	}

	/** The baskets whose ten minutes have not run out. */
	private live(key: string): Basket[] {
		const now = this.now();
		const baskets = (this.baskets.get(key) ?? []).filter(
			(basket) => basket.openedAt + BASKETS * this.basketMs > now,
		);
		this.baskets.set(key, baskets);
		return baskets;
	}

	/** `costSecondsPerCall` when given (a fixed cost, the older knob), else the call's server time. */
	private costOf(method: string, serverSeconds: number): number {
		const cost = this.options.costSecondsPerCall;
		if (cost === undefined) return serverSeconds;
		if (typeof cost === 'number') return cost;
		return cost[method] ?? cost['*'] ?? serverSeconds;
	}
}
