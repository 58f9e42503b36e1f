/**
 * Response envelopes: the `time` block every successful answer carries (with the operating
 * fields while the operating limit is on) and the error object, which carries no `time`.
 */
import { formatPortalDate } from './dates';
import { CORE_ERROR, RestError } from './errors';
import type { OperatingSnapshot } from './limits';

export interface TimeBlock {
	start: number;
	finish: number;
	duration: number;
	processing: number;
	date_start: string;
	date_finish: string;
	operating_reset_at?: number;
	operating?: number;
}

export interface ErrorEnvelope {
	error: string;
	error_description: string;
	[extra: string]: unknown;
}

/** CRestServer::appendDebugInfo; operating fields only while the limiter is active. */
export function timeBlock(
	startMs: number,
	finishMs: number,
	operating: OperatingSnapshot | null,
): TimeBlock {
	const time: TimeBlock = {
		start: startMs / 1000,
		finish: finishMs / 1000,
		duration: (finishMs - startMs) / 1000,
		processing: (finishMs - startMs) / 1000,
		date_start: formatPortalDate(startMs),
		date_finish: formatPortalDate(finishMs),
	};
	if (operating) {
		if (operating.resetAt !== null) time.operating_reset_at = operating.resetAt;
		time.operating = operating.operating;
	}
	return time;
}

export type ErrorCodeStyle = 'empty' | 'ERROR_CORE';

/** {"error","error_description"} plus extra keys, never `time`. */
export function errorEnvelope(error: RestError, style: ErrorCodeStyle): ErrorEnvelope {
	const code =
		error.code === CORE_ERROR ? (style === 'ERROR_CORE' ? 'ERROR_CORE' : '') : error.code;
	return { error: code, error_description: error.message, ...error.extra };
}
