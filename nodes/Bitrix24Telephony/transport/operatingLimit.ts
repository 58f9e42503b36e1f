/**
 * Bitrix24's per-method operating-time budget: a method that used too much server time within
 * ten minutes is refused with 429 OPERATION_TIME_LIMIT until `operating_reset_at`. Refused
 * requests were not executed (the limit is checked before the method runs), so they may be sent
 * again once the block lifts, when that is soon enough to wait for.
 */
import type { IDataObject } from 'n8n-workflow';

import { Bitrix24Failure } from './errors';

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
