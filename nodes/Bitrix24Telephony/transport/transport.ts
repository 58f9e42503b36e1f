/**
 * The only road to Bitrix24. Every request goes through `Bitrix24Transport.send`: under the
 * portal's rate limiter, signed (OAuth2), sent once (`sendOnce`, through n8n's
 * `httpRequestWithAuthentication`), its answer classified (`classify.ts`), and retried only where
 * repeating is harmless (`RetryPolicy`): a rate-limit refusal (never processed), a request that
 * never left, a lost answer of an idempotent request, an operating-time block that lifts soon. A
 * lost answer of a non-idempotent request is never repeated: it could log the call twice.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { webhookCredentialsOf, type Bitrix24Context, type Connection } from './auth/connection';
import { isExpiredToken, OAuth2Session, type TransportRequest } from './auth/oauth';
import {
	classifyAnswer,
	networkFailure,
	type Bitrix24Envelope,
	type HttpResponse,
} from './classify';
import { Bitrix24Failure, bitrix24Words, type FailureDetails } from './errors';
import { operatingLimitFailure, operatingWait, rememberOperatingReset } from './operatingLimit';
import { bucketFor } from './rateLimiter';
import { waitFor } from './wait';

export type { Bitrix24Envelope } from './classify';

export interface TransportSettings {
	/** Per-request timeout. Bitrix24 cloud itself gives up on a request after 60 s. */
	timeoutMs: number;
	/** How long to wait out a 429 OPERATION_TIME_LIMIT when Bitrix24 said when it lifts. */
	maxOperatingWaitMs: number;
	/**
	 * 503 QUERY_LIMIT_EXCEEDED answers absorbed per request before giving up. A 503 was never
	 * processed, so repeating costs only time: 12 steps (about 2 to 4 minutes of backoff) absorb
	 * n8n workers that overrun one portal together (queue mode with the credential's process count
	 * left at 1 needed up to 8 in a burst of 300 calls).
	 */
	rateLimitRetries: number;
	/** Retries after a lost answer (idempotent requests) or an unreachable portal. */
	networkRetries: number;
	/** First backoff step; doubles per attempt, with jitter. */
	backoffBaseMs: number;
}

export const DEFAULT_TRANSPORT_SETTINGS: TransportSettings = {
	timeoutMs: 60_000,
	maxOperatingWaitMs: 120_000,
	rateLimitRetries: 12,
	networkRetries: 3,
	backoffBaseMs: 1_000,
};

export interface SendOptions {
	/** Safe to send again when the answer was lost (Bitrix24 may have processed the first one). */
	idempotent: boolean;
}

/** The attempts of one request so far, by reason. */
export class RetryPolicy {
	private rateLimited = 0;
	private networkFailures = 0;
	private operatingWaits = 0;

	constructor(
		private readonly settings: TransportSettings,
		/** Whose operating budget (`Connection.budgetKey`). */
		private readonly budgetKey: string,
		private readonly options: SendOptions,
	) {}

	/** How long to wait before the next attempt, or undefined to give up. */
	delayAfter(
		method: string,
		failure: Bitrix24Failure,
		markBucketFull: () => void,
	): number | undefined {
		switch (failure.kind) {
			case 'rateLimit':
				markBucketFull();
				return this.rateLimited++ < this.settings.rateLimitRetries
					? this.backoff(this.rateLimited)
					: undefined;
			case 'operatingLimit':
				return this.operatingWaits++ === 0
					? operatingWait(this.budgetKey, method, this.settings, failure)
					: undefined;
			case 'notSent':
				return this.networkFailures++ < this.settings.networkRetries
					? this.backoff(this.networkFailures)
					: undefined;
			case 'unknownOutcome':
				return this.options.idempotent && this.networkFailures++ < this.settings.networkRetries
					? this.backoff(this.networkFailures)
					: undefined;
			default:
				return undefined;
		}
	}

	/** The failure to throw when giving up, telling what was tried. */
	finalFailure(failure: Bitrix24Failure): Bitrix24Failure {
		const details: FailureDetails = { ...failure.details };
		if (failure.kind === 'unknownOutcome' && !this.options.idempotent) {
			// A 5xx JSON error is Bitrix24's own answer: its words stay in the message, as everywhere.
			const words = bitrix24Words(details.code, details.reason);
			const saidByBitrix24 = words !== '' && failure.details.message.endsWith(words);
			details.message = `The answer of Bitrix24 to ${details.method} was lost: it is unknown whether it was processed${saidByBitrix24 ? words : ''}`;
			details.description = `${details.reason.charAt(0).toUpperCase()}${details.reason.slice(1)}. The request was not repeated, because repeating ${details.method} could log the call twice. Check the call in Bitrix24 before running this item again.`;
		} else if (failure.kind === 'unknownOutcome' || failure.kind === 'notSent') {
			details.description = `${details.description} Tried ${this.networkFailures} times.`;
		} else if (failure.kind === 'rateLimit') {
			details.description = `${details.description} Retried ${this.rateLimited - 1} times.`;
		} else if (failure.kind === 'operatingLimit') {
			return operatingLimitFailure(this.budgetKey, failure);
		}
		return new Bitrix24Failure(details);
	}

	private backoff(attempt: number): number {
		const step = this.settings.backoffBaseMs * 2 ** Math.min(attempt - 1, 5);
		return Math.round(step * (0.5 + Math.random() * 0.5));
	}
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
		const { portalUrl, plan, processes } = this.connection;
		const bucket = bucketFor(portalUrl, plan, processes);
		const signal = this.cancelSignal();
		const policy = new RetryPolicy(this.settings, this.connection.budgetKey, options);
		let tokenRefreshed = false;
		for (;;) {
			await waitFor(bucket.reserve(), method, signal);
			const signed = this.oauth ? await this.oauth.sign(method, request) : undefined;
			const outcome = await sendOnce(
				this.ctx,
				this.connection,
				this.settings.timeoutMs,
				method,
				signed?.request ?? request,
				signal,
			);
			if (!(outcome instanceof Bitrix24Failure)) {
				rememberOperatingReset(this.connection.budgetKey, method, outcome.time);
				return outcome;
			}
			// Bitrix24 rejected the request before processing it: renew the token once and resend.
			if (signed && this.oauth && !tokenRefreshed && isExpiredToken(outcome)) {
				tokenRefreshed = true;
				await this.oauth.refresh(method, signed.accessToken);
				continue;
			}
			const delay = policy.delayAfter(method, outcome, () => bucket.markFull());
			if (delay === undefined) throw policy.finalFailure(outcome);
			await waitFor(delay, method, signal);
		}
	}

	/** The execution's cancel signal (trigger contexts have none). */
	cancelSignal(): AbortSignal | undefined {
		return 'getExecutionCancelSignal' in this.ctx ? this.ctx.getExecutionCancelSignal() : undefined;
	}
}

const USER_AGENT = 'n8n-nodes-bitrix24-telephony';

/**
 * One HTTP request to Bitrix24, through n8n's `httpRequestWithAuthentication` (the credential's
 * `authenticate` puts the webhook code or the OAuth2 token in), with the answer classified.
 * Never throws: the caller decides what a failure means for retrying.
 */
export async function sendOnce(
	ctx: Bitrix24Context,
	connection: Connection,
	timeoutMs: number,
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
		timeout: timeoutMs,
	};
	if (options.baseURL === undefined && connection.baseURL !== undefined)
		options.baseURL = connection.baseURL;
	if (signal) options.abortSignal = signal;
	// Webhook: the credential this execution already read (OAuth2: n8n reads the current tokens).
	const data = webhookCredentialsOf(connection);
	const credentials = data
		? { credentialsDecrypted: { id: '', name: '', type: connection.credentialType, data } }
		: undefined;
	let response: HttpResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			connection.credentialType,
			options,
			credentials,
		)) as HttpResponse;
	} catch (error) {
		return networkFailure(connection, method, error, signal);
	}
	return classifyAnswer(connection.redactor, method, response);
}
