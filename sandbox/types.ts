/**
 * Public types of the sandbox portal. Other test code depends on these names.
 */
import type { ServerTimeOptions } from './server-time';
import type { SeedName } from './seed';
import type { EventHandler, OAuthApp, PortalState } from './state';
import type { Params } from './php-values';

export interface SandboxOptions {
	/** Default 0 = a random free port; the host is always 127.0.0.1. */
	port?: number;
	seed?: SeedName;
	/** The inbound webhook created at start. Default userId 1, code 'sbx' + 16 hex chars, scopes telephony, crm, user. */
	webhook?: { userId?: number; code?: string; scopes?: string[]; expiresAt?: number };
	/**
	 * 'src' (default, module source): register/finish/externalLine.* accept webhook and OAuth.
	 * 'doc' (2026 docs): OAuth only, webhooks get 403 WRONG_AUTH_TYPE.
	 */
	authTypeMode?: 'src' | 'doc';
	/** `error` of validation errors: "" (module source, default) or "ERROR_CORE" (docs). */
	errorCodeStyle?: 'empty' | 'ERROR_CORE';
	/** HTTP status of INVALID_CREDENTIALS and insufficient_scope; default 401. */
	authErrorStatus?: 401 | 403;
	/** Leaky bucket per client IP; default off. See PLAN_LIMITS. */
	rateLimit?: false | RateLimitOptions;
	/** Per-method operating time limiter; default off. */
	operatingLimit?: false | OperatingLimitOptions;
	/** Added to every response. */
	latencyMs?: number;
	/** Clock in ms used for dedup windows, limits, token expiry and `time` blocks. Default Date.now. */
	now?: () => number;
	/** Webhook calls answer INVALID_REQUEST "Https required." (the sandbox speaks plain HTTP); default false. */
	requireHttps?: boolean;
	/**
	 * RECORD_URL downloads: 'any' (default; module source, self-hosted portals) or 'publicOnly'
	 * (current cloud docs: hosts resolving to loopback/private addresses are refused).
	 */
	recordUrlPolicy?: 'any' | 'publicOnly';
	/**
	 * Per-method server time on a virtual clock, and the 60-second request limit; default off
	 * (calls take no time). See sandbox/server-time.ts.
	 */
	serverTime?: false | ServerTimeOptions;
	/** `TIMEMAN_STATUS` of every user when the portal does not track working time; default tracked. */
	timeman?: 'tracked' | 'NOT_INSTALLED' | 'UNAVAILABLE';
}

export interface RateLimitOptions {
	burst: number;
	drainPerSecond: number;
}

export interface OperatingLimitOptions {
	limitSeconds: number;
	/**
	 * The window the baskets cover, in seconds of the portal's clock; default 600 (Bitrix24's ten
	 * one-minute baskets). A test-speed knob, not a Bitrix24 setting: a client waits for
	 * `operating_reset_at` in real time, so tests and the bench scale the window down (the ten
	 * baskets scale with it) to keep those waits short.
	 */
	windowSeconds?: number;
	/**
	 * A fixed operating cost per call (a map is keyed by lowercase method name, '*' is the fallback).
	 * Omitted: each call counts its server time (`serverTime`).
	 */
	costSecondsPerCall?: number | Record<string, number>;
}

export type FaultKind =
	| 'queryLimit'
	| 'serverError'
	| 'dropConnection'
	| 'dropBeforeProcessing'
	| 'hang'
	| 'htmlPage'
	| 'operationTimeLimit';

export interface RawFault {
	status: number;
	body: string;
	headers?: Record<string, string>;
}

/** Probabilities 0..1 per REST request, plus a deterministic queue. */
export interface FaultOptions {
	/** 503 QUERY_LIMIT_EXCEEDED */
	queryLimit?: number;
	/** 500 INTERNAL_SERVER_ERROR (JSON) */
	serverError?: number;
	/** Process the request, then destroy the socket: state changed, answer lost. */
	dropConnection?: number;
	/** Destroy the socket without processing. */
	dropBeforeProcessing?: number;
	/** Delay the answer by hangMs after processing. */
	hangMs?: number;
	hang?: number;
	/** 502 HTML maintenance page (non-JSON). */
	htmlPage?: number;
	/** Forced for the next N requests, in order. */
	next?: Array<FaultKind | RawFault>;
	/** PRNG seed so random faults are reproducible. */
	seed?: number;
}

export interface LoggedRequest {
	httpMethod: string;
	/** URL path with the webhook code replaced by '***'. */
	path: string;
	/** Lowercased REST method ('batch', 'upload', 'oauth.token', ...); '' when the path is not an API path. */
	restMethod: string;
	params: Params;
	/** File parts of a multipart request (digested, not kept). */
	files?: Array<{ field: string; filename: string; size: number; sha256: string }>;
	auth: 'webhook' | 'oauth' | 'none';
	/** 0 when the connection was destroyed before anything was computed. */
	status: number;
	/** Parsed JSON, or the raw text for non-JSON answers. */
	response: unknown;
	/** Methods inside a batch, lowercased, in order. */
	batchCommands?: string[];
	/** The fault applied to this request, if any. */
	fault?: string;
	time: number;
}

export interface LimitStats {
	accepted: number;
	rejected503: number;
	rejected429: number;
	peakCounter: number;
}

export interface SandboxLimits {
	stats(): LimitStats;
	reset(): void;
}

export interface RegisterAppOptions {
	clientId: string;
	clientSecret: string;
	scopes?: string[];
	applicationToken?: string;
	name?: string;
	/** The user that authorizes and that issued tokens act as; default 1. */
	userId?: number;
	redirectUri?: string;
}

export interface TokenResponse {
	access_token: string;
	expires: number;
	expires_in: number;
	scope: string;
	domain: string;
	server_endpoint: string;
	status: string;
	client_endpoint: string;
	member_id: string;
	user_id: number;
	refresh_token: string;
}

export interface SandboxOAuth {
	tokenUrl: string;
	authorizeUrl: string;
	registerApp(options: RegisterAppOptions): OAuthApp;
	/** Shortcut for tests: tokens as if the authorization-code flow had just run. */
	issueTokens(clientId: string, options?: { userId?: number }): TokenResponse;
	/** Every access token issued so far answers expired_token from now on. */
	expireAccessTokens(): void;
	/** The refresh token answers invalid_grant from now on. */
	revoke(refreshToken: string): void;
	/** Every access and refresh token issued so far (for leak scans in tests). */
	issuedTokens(): string[];
}

export interface Delivery {
	url: string;
	status: number;
	body: string;
	/** The urlencoded body that was sent. */
	payload: string;
}

export interface ClickToCallOptions {
	userId: number;
	phoneNumber: string;
	lineNumber?: string;
	/** Route through this app's lines (and to its handlers) when no lineNumber is given. */
	clientId?: string;
	crmEntityType?: string;
	crmEntityId?: number;
	callListId?: number;
	isMobile?: boolean;
	/** Deliver every event twice (events are not retried but may be duplicated). */
	duplicate?: boolean;
}

export interface CallbackRequestOptions {
	phoneNumber: string;
	text?: string;
	voice?: string;
	lineNumber?: string;
	clientId?: string;
	crmEntityType?: string;
	crmEntityId?: number;
	duplicate?: boolean;
}

export interface BuildEventBodyOptions {
	event: string;
	data: Record<string, unknown>;
	auth: Record<string, unknown>;
	eventHandlerId?: number;
	ts?: number;
}

export interface SandboxEvents {
	addOutboundWebhook(options: { url: string; events: string[]; applicationToken?: string }): {
		applicationToken: string;
		handlers: EventHandler[];
	};
	clickToCall(options: ClickToCallOptions): Promise<{ callId: string; deliveries: Delivery[] }>;
	callbackRequest(options: CallbackRequestOptions): Promise<{ deliveries: Delivery[] }>;
	buildBody(options: BuildEventBodyOptions): string;
	/** Waits for the call events queued so far (OnVoximplantCallInit/End) and returns their deliveries. */
	settled(): Promise<Delivery[]>;
}

export interface SandboxRedirects {
	/**
	 * Answer 302 for paths starting with `pathPrefix` ('*' = every /rest/ path). `location` is an
	 * origin (the original path and query are appended), a full URL, or 'loop' for the
	 * self-hosted "coupon_activation" redirect loop.
	 */
	set(pathPrefix: string, location: string): void;
	clear(): void;
}

export interface Sandbox {
	/** Every secret this portal knows: webhook codes, client secrets, application tokens, tokens. */
	secrets(): string[];
	url: string;
	webhookUrl: string;
	webhookCode: string;
	state: PortalState;
	requests: LoggedRequest[];
	clearRequests(): void;
	configure(patch: Partial<SandboxOptions> & { faults?: FaultOptions }): void;
	/** `expiresAt`: portal-clock ms after which the webhook is refused like an unknown one. */
	addWebhook(options: {
		userId: number;
		code?: string;
		scopes?: string[];
		expiresAt?: number;
	}): string;
	limits: SandboxLimits;
	oauth: SandboxOAuth;
	events: SandboxEvents;
	redirects: SandboxRedirects;
	close(): Promise<void>;
}
