/**
 * The only road to Bitrix24. Every request goes through `Bitrix24Transport.send`: under the
 * portal's rate limiter, signed (OAuth2), sent (`request.ts`), its answer classified
 * (`classify.ts`), retried only where repeating is harmless (`retry.ts`), and every string that
 * leaves redacted.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import type { Bitrix24Context, Connection } from './auth/connection';
import { isExpiredToken, OAuth2Session } from './auth/oauth';
import type { Bitrix24Envelope } from './classify';
import { Bitrix24Failure } from './errors';
import { rememberOperatingReset } from './operatingLimit';
import { bucketFor } from './rateLimiter';
import { sendOnce } from './request';
import {
	DEFAULT_TRANSPORT_SETTINGS,
	RetryPolicy,
	type SendOptions,
	type TransportSettings,
} from './retry';
import { waitFor } from './wait';

export type { Bitrix24Envelope } from './classify';
export type { SendOptions, TransportSettings } from './retry';
export { DEFAULT_TRANSPORT_SETTINGS } from './retry';

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
