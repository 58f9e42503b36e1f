/**
 * What went wrong with one Bitrix24 request, in terms the retry policy and the user both need.
 * The transport throws `Bitrix24Failure`; `toNodeError` (errors.ts) turns it into an n8n
 * `NodeApiError` with the item index, so an operation never catches and wraps by itself.
 */

export type FailureKind =
	/** 503 QUERY_LIMIT_EXCEEDED / OVERLOAD_LIMIT: rejected before processing, always safe to repeat. */
	| 'rateLimit'
	/** 429 OPERATION_TIME_LIMIT: this method is blocked until its time budget resets. */
	| 'operatingLimit'
	/** Credential, scope or auth-type problems: repeating cannot help. */
	| 'auth'
	/** The request never reached Bitrix24 (connection refused, DNS): safe to repeat. */
	| 'notSent'
	/** The answer was lost (reset, timeout, 5xx, gateway page): Bitrix24 may have processed it. */
	| 'unknownOutcome'
	/** Bitrix24 answered with an error about this request (validation, not found, …). */
	| 'rejected'
	/** Not the REST API at all: wrong URL, redirect, HTML page. */
	| 'wrongEndpoint'
	/** The execution was cancelled while waiting. */
	| 'cancelled';

export interface FailureDetails {
	kind: FailureKind;
	/** The Bitrix24 REST method, e.g. `telephony.externalcall.register`. */
	method: string;
	/** Bitrix24's `error` value (may be `""`), or a transport code such as `ECONNRESET`. */
	code: string;
	/** Bitrix24's `error_description`, or the transport's own text. Already redacted. */
	reason: string;
	/** One line a user can act on. */
	message: string;
	/** What to do about it. */
	description: string;
	httpCode?: number;
	/** Unix seconds when an operating-time block ends, when Bitrix24 told us. */
	operatingResetAt?: number;
}

export class Bitrix24Failure extends Error {
	readonly details: FailureDetails;

	constructor(details: FailureDetails) {
		super(details.message);
		this.name = 'Bitrix24Failure';
		this.details = details;
	}

	get kind(): FailureKind {
		return this.details.kind;
	}
}
