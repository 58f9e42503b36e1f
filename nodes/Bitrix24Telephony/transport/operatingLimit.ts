/**
 * Bitrix24's per-method operating-time budget: a method that used too much server time within
 * ten minutes is refused with 429 OPERATION_TIME_LIMIT until `operating_reset_at`. Refused
 * requests were not executed (the limit is checked before the method runs), so they may be sent
 * again once the block lifts, when that is soon enough to wait for.
 */
import type { IDataObject } from 'n8n-workflow';

import { Bitrix24Failure } from './errors';

/**
 * When each method's block lifts, per portal, as Bitrix24 last reported it
 * (`operating_reset_at`), translated to our clock. Shared by every execution of this process.
 */
const operatingResets = new Map<string, { localMs: number }>();

export interface OperatingWaitLimits {
	/** The longest block worth waiting out. */
	maxOperatingWaitMs: number;
	/** The shortest wait (a block that lifts "now" may still be in force for a moment). */
	backoffBaseMs: number;
}

function keyOf(portalUrl: string, method: string): string {
	return `${portalUrl}|${method.toLowerCase()}`;
}

/**
 * Notes a `time` block of `method` (a whole answer's, or one batch command's from
 * `result_time`). `operating_reset_at` is on the portal's clock; `finish` in the same block
 * says where that clock stood, so the moment is translated to ours: a portal whose clock is
 * off by minutes must not make us wait wrongly (or give up when the block is about to lift).
 */
export function rememberOperatingReset(
	portalUrl: string,
	method: string,
	time: IDataObject | undefined,
): void {
	const resetAt = Number(time?.operating_reset_at);
	if (!Number.isFinite(resetAt) || resetAt <= 0) return;
	const portalNow = Number(time?.finish);
	const localMs =
		Number.isFinite(portalNow) && portalNow > 0
			? Date.now() + (resetAt - portalNow) * 1000
			: resetAt * 1000;
	operatingResets.set(keyOf(portalUrl, method), { localMs });
}

/**
 * How long to wait out a 429 of `method`, or undefined to give up: waited only when Bitrix24
 * told us (in the error, or recently in a successful answer) that the block lifts soon.
 */
export function operatingWait(
	portalUrl: string,
	method: string,
	limits: OperatingWaitLimits,
	failure?: Bitrix24Failure,
): number | undefined {
	const fromError = failure?.details.operatingResetAt;
	const localMs =
		fromError !== undefined
			? fromError * 1000
			: operatingResets.get(keyOf(portalUrl, method))?.localMs;
	if (localMs === undefined) return undefined;
	const wait = localMs - Date.now() + 500;
	if (wait > limits.maxOperatingWaitMs) return undefined;
	return Math.max(wait, limits.backoffBaseMs);
}

/** The final error of an operating-time block: when it lifts (on our clock) and what to do. */
export function operatingLimitFailure(
	portalUrl: string,
	failure: Bitrix24Failure,
): Bitrix24Failure {
	const { details } = failure;
	const known = operatingResets.get(keyOf(portalUrl, details.method))?.localMs;
	const liftsAt = details.operatingResetAt !== undefined ? details.operatingResetAt * 1000 : known;
	return new Bitrix24Failure({
		...details,
		description: `${details.description}${
			liftsAt ? ` It lifts at ${new Date(liftsAt).toISOString()}.` : ''
		} Run the workflow again later, or spread the calls over more time.`,
	});
}
