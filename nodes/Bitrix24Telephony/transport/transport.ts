/**
 * The only road to Bitrix24. Every request goes through `Bitrix24Transport.send`: under the
 * portal's rate limiter, as a JSON POST through n8n's `httpRequestWithAuthentication`, with the
 * answer classified (Bitrix24 signals errors by an `error` key, whatever the HTTP status), retried
 * only where repeating is harmless, and every string that leaves redacted.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Bitrix24Context, Connection } from './connection';
import { explainBitrix24Error } from './errorMessages';
import { Bitrix24Failure, type FailureDetails } from './failure';
import { isExpiredToken, OAuth2Session, type TransportRequest } from './oauth';
import { bucketFor } from './rateLimiter';
import { waitFor } from './wait';

export interface Bitrix24Envelope {
	result: unknown;
	time?: IDataObject;
	total?: number;
	next?: number;
}

export interface SendOptions {
	/** Safe to send again when the answer was lost (Bitrix24 may have processed the first one). */
	idempotent: boolean;
}

export interface TransportSettings {
	/** Per-request timeout. Bitrix24 cloud itself gives up on a request after 60 s. */
	timeoutMs: number;
	/** How long to wait out a 429 OPERATION_TIME_LIMIT when Bitrix24 said when it lifts. */
	maxOperatingWaitMs: number;
	/** 503 QUERY_LIMIT_EXCEEDED answers absorbed per request before giving up. */
	rateLimitRetries: number;
	/** Retries after a lost answer (idempotent requests) or an unreachable portal. */
	networkRetries: number;
	/** First backoff step; doubles per attempt, with jitter. */
	backoffBaseMs: number;
}

export const DEFAULT_TRANSPORT_SETTINGS: TransportSettings = {
	timeoutMs: 60_000,
	maxOperatingWaitMs: 120_000,
	rateLimitRetries: 8,
	networkRetries: 3,
	backoffBaseMs: 1_000,
};

const USER_AGENT = 'n8n-nodes-bitrix24-telephony';

/** Network error codes meaning the request never reached the server. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
]);

/**
 * When each method's operating-time block lifts, per portal, as Bitrix24 last reported it
 * (`operating_reset_at`), translated to our clock.
 */
const operatingResets = new Map<string, { localMs: number }>();

interface HttpResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

export class Bitrix24Transport {
	readonly settings: TransportSettings;

	/** OAuth2 only: puts the token into each request and refreshes it on `expired_token`. */
	private readonly oauth?: OAuth2Session;

	constructor(
		private readonly ctx: Bitrix24Context,
		readonly connection: Connection,
		settings: Partial<TransportSettings> = {},
	) {
		this.settings = { ...DEFAULT_TRANSPORT_SETTINGS, ...settings };
		if (connection.mode === 'oAuth2') this.oauth = new OAuth2Session(ctx, connection);
	}

	/** Calls one REST method with JSON parameters. */
	async call(method: string, params: IDataObject, options: SendOptions): Promise<Bitrix24Envelope> {
		return await this.send(method, { url: `${method}.json`, body: params, json: true }, options);
	}

	/**
	 * Sends a prepared request (e.g. a multipart upload to an absolute URL Bitrix24 handed out).
	 * `method` names what is being done, for errors and the operating-time bookkeeping.
	 */
	async send(
		method: string,
		request: Pick<IHttpRequestOptions, 'url' | 'body' | 'headers' | 'json'>,
		options: SendOptions,
	): Promise<Bitrix24Envelope> {
		const bucket = bucketFor(
			this.connection.portalUrl,
			this.connection.plan,
			this.connection.processes,
		);
		const signal = this.cancelSignal();
		let rateLimited = 0;
		let networkFailures = 0;
		let operatingWaits = 0;
		let tokenRefreshed = false;
		for (;;) {
			await waitFor(bucket.reserve(), method, signal);
			const signed = this.oauth ? await this.oauth.sign(method, request) : undefined;
			const outcome = await this.sendOnce(method, signed?.request ?? request, signal);
			if (!(outcome instanceof Bitrix24Failure)) {
				this.rememberOperatingReset(method, outcome.time);
				return outcome;
			}
			// Bitrix24 rejected the request before processing it: renew the token once and resend.
			if (signed && this.oauth && !tokenRefreshed && isExpiredToken(outcome)) {
				tokenRefreshed = true;
				await this.oauth.refresh(method, signed.accessToken);
				continue;
			}
			let delay: number | undefined;
			switch (outcome.kind) {
				case 'rateLimit':
					bucket.markFull();
					if (rateLimited++ < this.settings.rateLimitRetries) delay = this.backoff(rateLimited);
					break;
				case 'operatingLimit':
					delay = operatingWaits++ === 0 ? this.operatingWait(method, outcome) : undefined;
					break;
				case 'notSent':
					if (networkFailures++ < this.settings.networkRetries)
						delay = this.backoff(networkFailures);
					break;
				case 'unknownOutcome':
					if (options.idempotent && networkFailures++ < this.settings.networkRetries) {
						delay = this.backoff(networkFailures);
					}
					break;
			}
			if (delay === undefined)
				throw this.finalFailure(outcome, options, rateLimited, networkFailures);
			await waitFor(delay, method, signal);
		}
	}

	private cancelSignal(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}

	private backoff(attempt: number): number {
		const step = this.settings.backoffBaseMs * 2 ** Math.min(attempt - 1, 5);
		return Math.round(step * (0.5 + Math.random() * 0.5));
	}

	private operatingKey(method: string): string {
		return `${this.connection.portalUrl}|${method.toLowerCase()}`;
	}

	/**
	 * Notes a `time` block of `method` (a whole answer's, or one batch command's from
	 * `result_time`). `operating_reset_at` is on the portal's clock; `finish` in the same block
	 * says where that clock stood, so the moment is translated to ours: a portal whose clock is
	 * off by minutes must not make us wait wrongly (or give up when the block is about to lift).
	 */
	rememberOperatingReset(method: string, time: IDataObject | undefined): void {
		const resetAt = Number(time?.operating_reset_at);
		if (!Number.isFinite(resetAt) || resetAt <= 0) return;
		const portalNow = Number(time?.finish);
		const localMs =
			Number.isFinite(portalNow) && portalNow > 0
				? Date.now() + (resetAt - portalNow) * 1000
				: resetAt * 1000;
		operatingResets.set(this.operatingKey(method), { localMs });
	}

	/**
	 * How long to wait out a 429 of `method`, or undefined to give up: waited only when Bitrix24
	 * told us (in the error, or recently in a successful answer) that the block lifts soon.
	 */
	operatingWait(method: string, failure?: Bitrix24Failure): number | undefined {
		const fromError = failure?.details.operatingResetAt;
		const localMs =
			fromError !== undefined
				? fromError * 1000
				: operatingResets.get(this.operatingKey(method))?.localMs;
		if (localMs === undefined) return undefined;
		const wait = localMs - Date.now() + 500;
		if (wait > this.settings.maxOperatingWaitMs) return undefined;
		return Math.max(wait, this.settings.backoffBaseMs);
	}

	/** The final error of an operating-time block: when it lifts (on our clock) and what to do. */
	operatingLimitFailure(failure: Bitrix24Failure): Bitrix24Failure {
		const { details } = failure;
		const known = operatingResets.get(this.operatingKey(details.method))?.localMs;
		const liftsAt =
			details.operatingResetAt !== undefined ? details.operatingResetAt * 1000 : known;
		return new Bitrix24Failure({
			...details,
			description: `${details.description}${
				liftsAt ? ` It lifts at ${new Date(liftsAt).toISOString()}.` : ''
			} Run the workflow again later, or spread the calls over more time.`,
		});
	}

	private finalFailure(
		failure: Bitrix24Failure,
		options: SendOptions,
		rateLimited: number,
		networkFailures: number,
	): Bitrix24Failure {
		const details: FailureDetails = { ...failure.details };
		if (failure.kind === 'unknownOutcome' && !options.idempotent) {
			details.message = `The answer of Bitrix24 to ${details.method} was lost: it is unknown whether it was processed`;
			details.description = `${details.reason.charAt(0).toUpperCase()}${details.reason.slice(1)}. The request was not repeated, because repeating ${details.method} could log the call twice. Check the call in Bitrix24 before running this item again.`;
		} else if (failure.kind === 'unknownOutcome' || failure.kind === 'notSent') {
			details.description = `${details.description} Tried ${networkFailures} times.`;
		} else if (failure.kind === 'rateLimit') {
			details.description = `${details.description} Retried ${rateLimited - 1} times.`;
		} else if (failure.kind === 'operatingLimit') {
			return this.operatingLimitFailure(failure);
		}
		return new Bitrix24Failure(details);
	}

	private async sendOnce(
		method: string,
		request: TransportRequest,
		signal: AbortSignal | undefined,
	): Promise<Bitrix24Envelope | Bitrix24Failure> {
		const options: IHttpRequestOptions = {
			method: 'POST',
			...request,
			headers: { Accept: 'application/json', 'User-Agent': USER_AGENT, ...(request.headers ?? {}) },
			returnFullResponse: true,
			// Bitrix24's errors are read from the body whatever the status; n8n must not throw first
			// (it would also re-send any request answered 401).
			ignoreHttpStatusErrors: true,
			// An old portal address answers 302 to the new one: never carry the webhook code there.
			disableFollowRedirect: true,
			encoding: 'text',
			timeout: this.settings.timeoutMs,
		};
		if (options.baseURL === undefined && this.connection.baseURL !== undefined)
			options.baseURL = this.connection.baseURL;
		if (signal) options.abortSignal = signal;
		let response: HttpResponse;
		try {
			response = (await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.connection.credentialType,
				options,
			)) as HttpResponse;
		} catch (error) {
			return this.networkFailure(method, error, signal);
		}
		return this.interpret(method, response);
	}

	private networkFailure(
		method: string,
		error: unknown,
		signal: AbortSignal | undefined,
	): Bitrix24Failure {
		const code = findErrorCode(error) ?? 'NETWORK_ERROR';
		const reason = this.connection.redactor.text(describeNetworkError(error, code));
		if (signal?.aborted || code === 'ERR_CANCELED') {
			return new Bitrix24Failure({
				kind: 'cancelled',
				method,
				code: 'CANCELLED',
				reason,
				message: 'The execution was cancelled',
				description: 'The request to Bitrix24 was aborted.',
			});
		}
		const notSent = NOT_SENT_CODES.has(code);
		return new Bitrix24Failure({
			kind: notSent ? 'notSent' : 'unknownOutcome',
			method,
			code,
			reason,
			// The code goes into the description: n8n replaces any message that contains a socket
			// error code (ECONNREFUSED, …) with its own generic text.
			message: notSent
				? 'Could not reach the Bitrix24 portal'
				: `The connection to Bitrix24 failed during ${method}`,
			description: notSent
				? `${code}: check the portal address in the credential (${this.connection.portalUrl}) and that n8n can reach it.`
				: `${code}: the request was sent but no complete answer came back (the connection dropped or timed out).`,
		});
	}

	/**
	 * A Bitrix24 error answer `{error, error_description}`, from a whole response or from one
	 * command of a batch (`result_error`).
	 */
	failureFromAnswer(method: string, answer: unknown, httpCode: number): Bitrix24Failure {
		const body = (answer ?? {}) as IDataObject;
		const code = String(body.error ?? '');
		const reason = this.connection.redactor.text(String(body.error_description ?? ''));
		const explained = explainBitrix24Error(method, code, reason, httpCode);
		const resetAt = Number((body.time as IDataObject | undefined)?.operating_reset_at);
		return new Bitrix24Failure({
			...explained,
			message: this.connection.redactor.text(explained.message),
			method,
			code,
			reason,
			httpCode,
			...(Number.isFinite(resetAt) ? { operatingResetAt: resetAt } : {}),
		});
	}

	private interpret(method: string, response: HttpResponse): Bitrix24Envelope | Bitrix24Failure {
		const redact = this.connection.redactor;
		const status = Number(response.statusCode);
		const text =
			typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
		const fail = (details: Omit<FailureDetails, 'method' | 'httpCode'>) =>
			new Bitrix24Failure({
				...details,
				method,
				httpCode: status,
				reason: redact.text(details.reason),
			});

		if (status >= 300 && status < 400) {
			const location = String(response.headers?.location ?? '');
			const target = /^https?:\/\/[^/?#]+/i.exec(location)?.[0] ?? '';
			const licence = location.includes('coupon_activation');
			return fail({
				kind: 'wrongEndpoint',
				code: `HTTP_${status}`,
				reason: `Redirect to ${target || 'another address'}`,
				message: licence
					? 'The Bitrix24 portal redirects to its licence activation page'
					: `The Bitrix24 portal redirected the request${target ? ` to ${redact.text(target)}` : ''}`,
				description: licence
					? 'The licence of this self-hosted portal has expired; the REST API is unavailable until it is renewed.'
					: 'The portal address has probably changed. Put the new address into the credential. The redirect was not followed, so that the credential is never sent to another host.',
			});
		}
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			parsed = undefined;
		}
		if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
			const gateway = status >= 500;
			return fail({
				kind: gateway ? 'unknownOutcome' : 'wrongEndpoint',
				code: `HTTP_${status}`,
				reason: `Non-JSON answer (HTTP ${status}): ${text.replace(/\s+/g, ' ').slice(0, 120)}`,
				message: gateway
					? `The Bitrix24 portal answered HTTP ${status} with an error page instead of the REST API`
					: `The address in the credential did not answer like the Bitrix24 REST API (HTTP ${status}, not JSON)`,
				description: gateway
					? 'The portal may be under maintenance or overloaded.'
					: 'Check the portal address in the credential: the portal may have been renamed or deleted, or the URL does not point to Bitrix24.',
			});
		}
		const body = parsed as IDataObject;
		if ('error' in body) return this.failureFromAnswer(method, body, status);
		if (status >= 400) {
			return fail({
				kind: status >= 500 ? 'unknownOutcome' : 'rejected',
				code: `HTTP_${status}`,
				reason: `HTTP ${status}`,
				message: `Bitrix24 answered HTTP ${status} to ${method}`,
				description: 'The answer carried no error description.',
			});
		}
		return body as unknown as Bitrix24Envelope;
	}
}

/** The chain of errors n8n and axios nest around a socket error. */
function errorChain(error: unknown): Array<{ code?: unknown; message?: unknown }> {
	const chain: Array<{ code?: unknown; message?: unknown }> = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		chain.push(current as { code?: unknown; message?: unknown });
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/**
 * The socket error code (`ECONNRESET`, …). Codes are searched through the whole chain first:
 * n8n rewrites messages into prose ("…the connection was aborted…") that must not be mistaken
 * for a cancellation.
 */
function findErrorCode(error: unknown): string | undefined {
	const chain = errorChain(error);
	const coded = chain.find((e) => typeof e.code === 'string' && /^E[A-Z_]+$|^ERR_/.test(e.code));
	if (coded) return coded.code as string;
	for (const { message } of chain) {
		if (typeof message !== 'string') continue;
		if (/timeout of \d+ms exceeded/i.test(message)) return 'ETIMEDOUT';
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
	}
	return undefined;
}

/** What happened, in our words (n8n's generic texts advise retrying, which may be wrong here). */
const NETWORK_REASONS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before Bitrix24 answered',
	EPIPE: 'the connection was closed while sending',
	ETIMEDOUT: 'no answer came within the timeout',
	ECONNABORTED: 'no answer came within the timeout',
	ECONNREFUSED: 'the portal refused the connection',
	ENOTFOUND: "the portal's host name was not found",
	EAI_AGAIN: "the portal's host name could not be resolved",
};

function describeNetworkError(error: unknown, code: string): string {
	if (NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
	const message = (error as { message?: unknown })?.message;
	return typeof message === 'string' && message ? `${message} (${code})` : code;
}
