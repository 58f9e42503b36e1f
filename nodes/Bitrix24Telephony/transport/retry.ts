/**
 * What to do after a failed attempt: wait and send again, or give up, and with which words.
 * Only failures where repeating is harmless are retried: a rate-limit refusal (never processed),
 * a request that never left, a lost answer of an idempotent request, an operating-time block
 * that lifts soon. A lost answer of a non-idempotent request is never repeated: it could log
 * the call twice.
 */

import { Bitrix24Failure, bitrix24Words, type FailureDetails } from './errors';
import { operatingLimitFailure, operatingWait } from './operatingLimit';

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
		private readonly portalUrl: string,
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
					? operatingWait(this.portalUrl, method, this.settings, failure)
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
			return operatingLimitFailure(this.portalUrl, failure);
		}
		return new Bitrix24Failure(details);
	}

	private backoff(attempt: number): number {
		const step = this.settings.backoffBaseMs * 2 ** Math.min(attempt - 1, 5);
		return Math.round(step * (0.5 + Math.random() * 0.5));
	}
}
