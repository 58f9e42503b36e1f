/**
 * Server time on a virtual clock (docs/bitrix24-fidelity.md rows 41–43): each REST method call
 * "takes" its configured seconds, which advance the portal's clock (not wall time), fill the
 * answer's `time` block, count against the method's operating budget, and add up towards the
 * 60-second limit of the HTTP request that carries them.
 *
 * limits.md (b24restdocs 5988ed13): "one REST request must finish within 60 seconds. If processing
 * takes longer, the request is interrupted by timeout", and a `batch` of nested calls can run past
 * it. No public source shows the bytes the client receives then; the sandbox answers what the
 * cloud's nginx front gives when its upstream overruns (`gatewayTimeout`, an HTML 504), or closes
 * the connection without an answer (`drop`).
 */
import type { Reply } from './reply';

export interface ServerTimeOptions {
	/** Seconds per call, keyed by lowercase method name (e.g. register 0.2, finish 0.3). */
	perMethod?: Record<string, number>;
	/** Seconds of any other method; default 0.01. */
	defaultSeconds?: number;
	/** The per-request limit; default 60. */
	requestLimitSeconds?: number;
	/** What the client gets when a request passes the limit; default 'gatewayTimeout'. */
	cutOffAnswer?: 'gatewayTimeout' | 'drop';
}

const DEFAULT_SECONDS = 0.01;
const REQUEST_LIMIT_SECONDS = 60;

/** The server time of one call of `method`; 0 while the model is off. */
export function serverSecondsOf(options: false | ServerTimeOptions, method: string): number {
	if (!options) return 0;
	return options.perMethod?.[method] ?? options.defaultSeconds ?? DEFAULT_SECONDS;
}

/** One HTTP request as the frontend sees it: when it arrived at the portal. */
export interface RequestSpan {
	startedAt: number;
}

/** Thrown when the next call would end past the request limit; nothing of that call took effect. */
export class RequestCutOff extends Error {
	constructor() {
		super('request passed the 60-second limit');
		this.name = 'RequestCutOff';
	}
}

/**
 * Throws RequestCutOff when a call of `seconds`, starting now, would end past the limit: the
 * calls before it took effect (they ran to completion), this one and those after it did not run.
 */
export function requireTimeLeft(
	options: false | ServerTimeOptions,
	span: RequestSpan,
	nowMs: number,
	seconds: number,
): void {
	if (!options) return;
	const limitMs = (options.requestLimitSeconds ?? REQUEST_LIMIT_SECONDS) * 1000;
	if (nowMs + seconds * 1000 - span.startedAt > limitMs) throw new RequestCutOff();
}

/** nginx's own page for an upstream that overran its read timeout. */
export function gatewayTimeoutPage(): Reply {
	const body =
		'<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n' +
		'<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';
	return {
		status: 504,
		headers: { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(body)) },
		body,
		logged: '504 Gateway Time-out (request passed the time limit)',
	};
}
