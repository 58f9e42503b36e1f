/**
 * Everything a request handler can reach: options, portal state, clock, limiters, faults and
 * the services shared between REST methods, the OAuth server and the event dispatcher.
 */
import { FaultInjector } from './faults';
import { emptyStats, LeakyBucket, OperatingLimiter } from './limits';
import { OAuthServer } from './oauth';
import { RedirectRules } from './redirects';
import type { ServerTimeOptions } from './server-time';
import type { PortalState } from './state';
import type {
	FaultOptions,
	LoggedRequest,
	OperatingLimitOptions,
	RateLimitOptions,
	SandboxOptions,
} from './types';
import { UploadTokenSigner } from './upload-token';

export interface RuntimeSettings {
	authTypeMode: 'src' | 'doc';
	errorCodeStyle: 'empty' | 'ERROR_CORE';
	authErrorStatus: 401 | 403;
	rateLimit: false | RateLimitOptions;
	operatingLimit: false | OperatingLimitOptions;
	latencyMs: number;
	requireHttps: boolean;
	recordUrlPolicy: 'any' | 'publicOnly';
	serverTime: false | ServerTimeOptions;
	timeman: 'tracked' | 'NOT_INSTALLED' | 'UNAVAILABLE';
}

export class SandboxRuntime {
	settings: RuntimeSettings;
	baseUrl = '';
	readonly requests: LoggedRequest[] = [];
	readonly faults = new FaultInjector();
	readonly limitStats = emptyStats();
	rateLimiter: LeakyBucket | null = null;
	operatingLimiter: OperatingLimiter | null = null;
	readonly uploadTokens = new UploadTokenSigner();
	readonly redirects = new RedirectRules(() => this.baseUrl);
	readonly oauth: OAuthServer;
	/**
	 * Where REST methods hand the events they raise (OnVoximplantCallInit/End); the dispatcher sets
	 * it. Delivery happens after the answer, as Bitrix24's event queue does.
	 */
	eventSink: ((event: string, data: Record<string, unknown>, userId: number) => void) | null = null;
	/** Server time spent so far: the portal's clock runs this far ahead of the base clock. */
	private advancedMs = 0;
	/** The portal's clock: the base clock (options.now or Date.now) plus the server time spent. */
	readonly now = (): number => this.baseNow() + this.advancedMs;

	constructor(
		readonly state: PortalState,
		private readonly baseNow: () => number,
		options: SandboxOptions,
	) {
		this.settings = {
			authTypeMode: options.authTypeMode ?? 'src',
			errorCodeStyle: options.errorCodeStyle ?? 'empty',
			authErrorStatus: options.authErrorStatus ?? 401,
			rateLimit: options.rateLimit ?? false,
			operatingLimit: options.operatingLimit ?? false,
			latencyMs: options.latencyMs ?? 0,
			requireHttps: options.requireHttps ?? false,
			recordUrlPolicy: options.recordUrlPolicy ?? 'any',
			serverTime: options.serverTime ?? false,
			timeman: options.timeman ?? 'tracked',
		};
		this.oauth = new OAuthServer(this);
		this.rebuildLimiters();
	}

	/** A call's server time passes on the portal's clock only (virtual time: tests stay fast). */
	spend(seconds: number): void {
		this.advancedMs += seconds * 1000;
	}

	/** "127.0.0.1:PORT", the portal's domain. */
	get domain(): string {
		return this.baseUrl.replace(/^https?:\/\//, '');
	}

	configure(patch: Partial<SandboxOptions> & { faults?: FaultOptions }): void {
		const { faults, ...options } = patch;
		for (const key of Object.keys(options) as Array<keyof RuntimeSettings>) {
			if (key in this.settings && options[key] !== undefined)
				(this.settings as unknown as Record<string, unknown>)[key] = options[key];
		}
		if ('rateLimit' in options || 'operatingLimit' in options) this.rebuildLimiters();
		if (faults) this.faults.configure(faults);
	}

	resetLimits(): void {
		Object.assign(this.limitStats, emptyStats());
		this.rebuildLimiters();
	}

	private rebuildLimiters(): void {
		const { rateLimit, operatingLimit } = this.settings;
		this.rateLimiter = rateLimit ? new LeakyBucket(rateLimit, this.now, this.limitStats) : null;
		this.operatingLimiter = operatingLimit ? new OperatingLimiter(operatingLimit, this.now) : null;
	}
}
