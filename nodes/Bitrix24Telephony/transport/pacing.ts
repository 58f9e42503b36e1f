/**
 * How much to put into the next request, and when to send it, from what Bitrix24's answers said
 * about server time (issue 23; docs/errors-and-limits.md "Server time and the operating budget").
 *
 * Two limits count server time, not requests (docs/bitrix24-fidelity.md rows 41–43):
 * - one REST request must finish within 60 seconds, and inside a `batch` every command's time
 *   counts towards it. A batch is therefore sized from the time each method took lately
 *   (`result_time[…].duration`), to stay well under the limit;
 * - each method has an operating budget per application or webhook (480 s per 10 minutes on cloud
 *   portals), reported as `time.operating` and `operating_reset_at`. The official JS SDK slows
 *   down once a method has used 80 % of it (bitrix24/b24jssdk
 *   `packages/jssdk/src/core/http/limiters/params-factory.ts`: `operatingLimit.limitMs 480_000`,
 *   `adaptiveConfig.thresholdPercent 80`; `adaptive-delayer.ts` delays at most 7 s, and
 *   `operating-limiter.ts` holds a method until `operating_reset_at` + 1 s once it is within 5 s
 *   of the limit). We pace at the same 80 %, but by waiting for the oldest basket to leave the sum
 *   rather than for a few seconds: a batch of 25 finishes spends several seconds at once, and a
 *   short delay would not keep it from running past the limit, where Bitrix24 refuses the next
 *   command inside the batch after earlier ones of the same item ran.
 */
import type { IDataObject, Logger } from 'n8n-workflow';

import { operatingStateOf, reserveOperating } from './operatingLimit';
import type { Bitrix24Transport } from './transport';
import { waitFor } from './wait';

/**
 * The server time a batch may take by our estimate: a third of Bitrix24's 60-second limit. The
 * estimate is the slowest call the last answer reported; a busy portal can slow down threefold
 * between two requests and the batch still ends in time, and the answer still has time to travel
 * back within our own 60-second timeout.
 */
export const TARGET_BATCH_SECONDS = 20;

/**
 * A call's server time before any answer reported it. With the 20-s target the first batch of an
 * execution carries 20 commands: 10 calls of Log Completed Call (register + finish), the size
 * MikoPBX's CDR import sends per step (mikopbx/ModuleBitrix24Integration `bin/HistoryImporter.php`,
 * `BATCH_SIZE = 10` calls, commit a9307025).
 */
export const FIRST_ESTIMATE_SECONDS = 1;

/** Bitrix24's documented budget per method, per application or webhook, in 10 minutes. */
export const DEFAULT_OPERATING_BUDGET_SECONDS = 480;

/** Share of the budget spent before pacing (the JS SDK's `thresholdPercent`). */
export const PACE_AT_SHARE = 0.8;

/** The share of the sum assumed to leave with the oldest of Bitrix24's ten baskets. */
const OLDEST_BASKET_SHARE = 0.1;

/** Waited past `operating_reset_at`: it is given in whole seconds (the JS SDK adds 1 s too). */
const RESET_MARGIN_MS = 1_000;

/** Waits at least this long are logged. */
const LONG_WAIT_MS = 10_000;

/** Server seconds per method, for one request or one item. */
export type MethodSeconds = Map<string, number>;

/** One execution's view of server time: its own estimates, the credential's shared budget. */
export class Pacer {
	private readonly perCall = new Map<string, number>();

	constructor(
		private readonly transport: Bitrix24Transport,
		private readonly budgetSeconds: number = DEFAULT_OPERATING_BUDGET_SECONDS,
		private readonly logger?: Logger,
	) {}

	/** Server seconds one call of `method` takes, by the latest answer that ran it. */
	secondsPerCall(method: string): number {
		return this.perCall.get(method.toLowerCase()) ?? FIRST_ESTIMATE_SECONDS;
	}

	/** The estimated server time of some commands, per method. */
	costOf(methods: Iterable<string>, into: MethodSeconds = new Map()): MethodSeconds {
		for (const method of methods)
			into.set(method, (into.get(method) ?? 0) + this.secondsPerCall(method));
		return into;
	}

	/**
	 * Seconds of `method`'s budget that may still be spent before pacing. Counts only ever fall
	 * between two answers (baskets leave the sum), so the last reported `operating` is a safe
	 * upper bound; unknown (no answer yet, or no limiter on the portal) → no bound. Once the oldest
	 * basket has left (`operating_reset_at` passed), it is taken to have held a tenth of the sum
	 * (one of ten baskets): even if it held nothing, what is sent then keeps the sum under 88 %.
	 */
	roomOf(method: string): number {
		const state = operatingStateOf(this.transport.connection.budgetKey, method);
		if (state?.operating === undefined) return Number.POSITIVE_INFINITY;
		const basketLeft = Date.now() >= state.localMs + RESET_MARGIN_MS;
		const operating = basketLeft ? state.operating * (1 - OLDEST_BASKET_SHARE) : state.operating;
		return PACE_AT_SHARE * this.budgetSeconds - operating - state.inFlight;
	}

	/**
	 * Waits until the next request's first item (`cost`) fits under 80 % of each method's budget:
	 * until the oldest basket has left the sum (`operating_reset_at`). After that the count is not
	 * known until the next answer: `roomOf` assumes a tenth left; if even that leaves no room, the
	 * request carries one item, which runs even near the limit (Bitrix24 checks the sum before each
	 * call and we never planned past 88 %), and its answer tells the new count.
	 */
	async beforeSending(cost: MethodSeconds): Promise<void> {
		for (;;) {
			let until = 0;
			let blocked = '';
			for (const [method, seconds] of cost) {
				const state = operatingStateOf(this.transport.connection.budgetKey, method);
				if (state?.operating === undefined || this.roomOf(method) >= seconds) continue;
				const liftsAt = state.localMs + RESET_MARGIN_MS;
				// Past the reset: sent anyway, one item at least (see above).
				if (Date.now() >= liftsAt || liftsAt <= until) continue;
				until = liftsAt;
				blocked = method;
			}
			const wait = until - Date.now();
			if (wait <= 0) return;
			if (wait >= LONG_WAIT_MS)
				this.logger?.info(
					`Bitrix24: ${blocked} has used 80% of its server-time budget on this credential; waiting ${Math.round(wait / 1000)} s for it to free up before sending more`,
				);
			await waitFor(wait, blocked, this.transport.cancelSignal());
		}
	}

	/** Counts a request's cost as spent until its answer arrives; returns the release. */
	reserve(cost: MethodSeconds): () => void {
		const releases = [...cost].map(([method, seconds]) =>
			reserveOperating(this.transport.connection.budgetKey, method, seconds),
		);
		return () => releases.forEach((release) => release());
	}

	/**
	 * A batch answered: each method's estimate becomes the slowest call of it in this answer (the
	 * latest word on how busy the portal is, up or down).
	 */
	learn(times: Array<{ method: string; time: IDataObject }>): void {
		const slowest = new Map<string, number>();
		for (const { method, time } of times) {
			const seconds = Number(time.duration);
			if (!Number.isFinite(seconds) || seconds < 0) continue;
			const key = method.toLowerCase();
			slowest.set(key, Math.max(slowest.get(key) ?? 0, seconds));
		}
		for (const [method, seconds] of slowest) this.perCall.set(method, seconds);
	}

	/**
	 * A batch whose answer never came may have run past the 60-second limit: its commands took at
	 * least that long, so each of its methods is assumed that much slower than estimated.
	 */
	learnLostAnswer(cost: MethodSeconds): void {
		const estimated = [...cost.values()].reduce((sum, seconds) => sum + seconds, 0);
		const factor = Math.max(2, 60 / Math.max(estimated, 1e-3));
		for (const method of cost.keys())
			this.perCall.set(method.toLowerCase(), this.secondsPerCall(method) * factor);
	}
}
