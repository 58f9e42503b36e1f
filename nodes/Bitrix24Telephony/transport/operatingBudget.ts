/**
 * The operating budget: Bitrix24's per-method server-time budget, what it last said about it, and
 * how the node paces itself under it (issue 23; docs/errors-and-limits.md "Server time and the
 * operating budget").
 *
 * The 429 block: a method that used too much server time within ten minutes is refused with 429
 * OPERATION_TIME_LIMIT until `operating_reset_at`. Refused requests were not executed (the limit
 * is checked before the method runs), so they may be sent again once the block lifts, when that
 * is soon enough to wait for.
 *
 * Pacing: how much to put into the next request, and when to send it. Two limits count server
 * time, not requests (docs/bitrix24-fidelity.md rows 41–43):
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

import { Bitrix24Failure } from './errors';
import { waitFor } from './rateLimiter';

/**
 * Each method's budget as Bitrix24 last reported it, per portal and credential (the budget is
 * per application or webhook, docs/bitrix24-fidelity.md row 42): the seconds used (`operating`)
 * and when the oldest one-minute basket leaves the sum (`operating_reset_at`, translated to our
 * clock); plus the seconds this process has in flight (sent, not yet answered). Shared by every
 * execution of this process, so that two executions on one credential pace together.
 */
interface OperatingState {
	localMs: number;
	operating?: number;
	inFlight: number;
}
const operatingResets = new Map<string, OperatingState>();

export interface OperatingWaitLimits {
	/** The longest block worth waiting out. */
	maxOperatingWaitMs: number;
	/** The shortest wait (a block that lifts "now" may still be in force for a moment). */
	backoffBaseMs: number;
}

function keyOf(budgetKey: string, method: string): string {
	return `${budgetKey}|${method.toLowerCase()}`;
}

/**
 * Notes a `time` block of `method` (a whole answer's, or one batch command's from
 * `result_time`). `operating_reset_at` is on the portal's clock; `finish` in the same block
 * says where that clock stood, so the moment is translated to ours: a portal whose clock is
 * off by minutes must not make us wait wrongly (or give up when the block is about to lift).
 */
export function rememberOperatingReset(
	budgetKey: string,
	method: string,
	time: IDataObject | undefined,
	answeredAt?: number,
): void {
	const resetAt = Number(time?.operating_reset_at);
	if (!Number.isFinite(resetAt) || resetAt <= 0) return;
	// A command inside a batch reports its own `finish`; the answer left the portal later, at the
	// outer `time.finish` (`answeredAt`), which is the portal's "now" when we read it.
	const portalNow = answeredAt ?? Number(time?.finish);
	const localMs =
		Number.isFinite(portalNow) && portalNow > 0
			? Date.now() + (resetAt - portalNow) * 1000
			: resetAt * 1000;
	const key = keyOf(budgetKey, method);
	const operating = Number(time?.operating);
	operatingResets.set(key, {
		localMs,
		inFlight: operatingResets.get(key)?.inFlight ?? 0,
		...(Number.isFinite(operating) ? { operating } : {}),
	});
}

/** What Bitrix24 last said about `method`'s budget on this credential, or undefined. */
export function operatingStateOf(
	budgetKey: string,
	method: string,
): Readonly<OperatingState> | undefined {
	return operatingResets.get(keyOf(budgetKey, method));
}

/**
 * Counts `seconds` of `method` as spent until the answer comes (then Bitrix24's own `operating`
 * includes them); returns the release. Keeps executions sharing a credential from each spending
 * the same room.
 */
export function reserveOperating(budgetKey: string, method: string, seconds: number): () => void {
	const key = keyOf(budgetKey, method);
	const state = operatingResets.get(key) ?? { localMs: 0, inFlight: 0 };
	state.inFlight += seconds;
	operatingResets.set(key, state);
	return () => {
		const current = operatingResets.get(key);
		if (current) current.inFlight = Math.max(0, current.inFlight - seconds);
	};
}

/**
 * How long to wait out a 429 of `method`, or undefined to give up: waited only when Bitrix24
 * told us (in the error, or recently in a successful answer) that the block lifts soon.
 */
export function operatingWait(
	budgetKey: string,
	method: string,
	limits: OperatingWaitLimits,
	failure?: Bitrix24Failure,
): number | undefined {
	const fromError = failure?.details.operatingResetAt;
	const localMs =
		fromError !== undefined
			? fromError * 1000
			: operatingResets.get(keyOf(budgetKey, method))?.localMs || undefined;
	if (localMs === undefined) return undefined;
	const wait = localMs - Date.now() + 500;
	if (wait > limits.maxOperatingWaitMs) return undefined;
	return Math.max(wait, limits.backoffBaseMs);
}

/** The final error of an operating-time block: when it lifts (on our clock) and what to do. */
export function operatingLimitFailure(
	budgetKey: string,
	failure: Bitrix24Failure,
): Bitrix24Failure {
	const { details } = failure;
	const known = operatingResets.get(keyOf(budgetKey, details.method))?.localMs || undefined;
	const liftsAt = details.operatingResetAt !== undefined ? details.operatingResetAt * 1000 : known;
	return new Bitrix24Failure({
		...details,
		description: `${details.description}${
			liftsAt ? ` It lifts at ${new Date(liftsAt).toISOString()}.` : ''
		} Run the workflow again later, or spread the calls over more time.`,
	});
}

// Pacing under the budget.

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

/**
 * What the pacer needs of the transport: whose budget, and the execution's cancel signal (a
 * structural type, so that transport.ts may import this file without a circle).
 */
interface BudgetedTransport {
	readonly connection: { readonly budgetKey: string };
	cancelSignal(): AbortSignal | undefined;
}

/** One execution's view of server time: its own estimates, the credential's shared budget. */
export class Pacer {
	private readonly perCall = new Map<string, number>();

	constructor(
		private readonly transport: BudgetedTransport,
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
