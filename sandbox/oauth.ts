/**
 * OAuth 2.0 of Bitrix24 apps: the portal's authorize page and the token
 * server (oauth.bitrix.info in reality), served by the sandbox itself.
 * Codes live 30 s, access tokens 3600 s, refresh tokens 180 days; every refresh rotates the
 * refresh token and the old one answers invalid_grant.
 */
import { randomBytes } from 'crypto';
import { httpBuildQuery } from './php-query';
import { isSet, Params, phpString } from './php-values';
import { jsonReply, redirectReply, Reply } from './reply';
import { nextId, OAuthApp, PortalState } from './state';
import type { RegisterAppOptions, SandboxOAuth, TokenResponse } from './types';

const CODE_TTL_MS = 30_000;
const ACCESS_TTL_S = 3600;
const REFRESH_TTL_MS = 180 * 24 * 3600 * 1000;

export interface AccessTokenInfo {
	token: string;
	app: OAuthApp;
	userId: number;
	expiresAt: number;
}

interface GrantRecord {
	app: OAuthApp;
	userId: number;
	expiresAt: number;
	spent: boolean;
}

export type AccessTokenLookup =
	| { status: 'valid'; info: AccessTokenInfo }
	| { status: 'expired' }
	| { status: 'unknown' };

/**
 * What the OAuth server needs of the portal it serves. The runtime passes itself; naming only
 * these members keeps the dependency pointing one way (runtime → oauth).
 */
export interface OAuthPortal {
	readonly state: PortalState;
	readonly now: () => number;
	/** "http://127.0.0.1:PORT"; read on every use, since it is known only after listen(). */
	readonly baseUrl: string;
	readonly domain: string;
}

export class OAuthServer implements SandboxOAuth {
	private readonly codes = new Map<string, GrantRecord>();
	private readonly refreshTokens = new Map<string, GrantRecord>();
	private readonly accessTokens = new Map<string, AccessTokenInfo>();

	constructor(private readonly portal: OAuthPortal) {}

	get tokenUrl(): string {
		return `${this.portal.baseUrl}/oauth/token/`;
	}

	get authorizeUrl(): string {
		return `${this.portal.baseUrl}/oauth/authorize/`;
	}

	registerApp(options: RegisterAppOptions): OAuthApp {
		const state = this.portal.state;
		const existing = state.apps.find((app) => app.clientId === options.clientId);
		const app: OAuthApp = {
			id: existing?.id ?? nextId(state, 'app'),
			clientId: options.clientId,
			clientSecret: options.clientSecret,
			code: options.clientId,
			name: options.name ?? `Sandbox app ${options.clientId}`,
			scopes: options.scopes ?? ['telephony', 'crm', 'user'],
			applicationToken: options.applicationToken ?? randomBytes(16).toString('hex'),
			userId: options.userId ?? 1,
			redirectUri: options.redirectUri ?? null,
		};
		state.apps = state.apps.filter((candidate) => candidate.clientId !== options.clientId);
		state.apps.push(app);
		return app;
	}

	issueTokens(clientId: string, options: { userId?: number } = {}): TokenResponse {
		const app = this.requireApp(clientId);
		return this.grantTokens(app, options.userId ?? app.userId);
	}

	expireAccessTokens(): void {
		const past = this.portal.now() - 1;
		for (const info of this.accessTokens.values()) info.expiresAt = past;
	}

	revoke(refreshToken: string): void {
		const record = this.refreshTokens.get(refreshToken);
		if (record) record.spent = true;
	}

	issuedTokens(): string[] {
		return [...this.accessTokens.keys(), ...this.refreshTokens.keys()];
	}

	/**
	 * A fresh access token and the fields that come with it, as in a token answer and in an
	 * event's auth[...] block (which adds application_token instead of refresh_token).
	 */
	accessTokenBlock(app: OAuthApp, userId: number): Omit<TokenResponse, 'refresh_token'> {
		const token = randomToken();
		const expiresAt = this.portal.now() + ACCESS_TTL_S * 1000;
		this.accessTokens.set(token, { token, app, userId, expiresAt });
		return {
			access_token: token,
			expires: Math.floor(expiresAt / 1000),
			expires_in: ACCESS_TTL_S,
			scope: app.scopes.join(','),
			domain: this.portal.domain,
			server_endpoint: `${this.portal.baseUrl}/rest/`,
			status: 'L',
			client_endpoint: `${this.portal.baseUrl}/rest/`,
			member_id: this.portal.state.memberId,
			user_id: userId,
		};
	}

	lookupAccessToken(token: string): AccessTokenLookup {
		const info = this.accessTokens.get(token);
		if (!info || !this.portal.state.apps.includes(info.app)) return { status: 'unknown' };
		if (info.expiresAt <= this.portal.now()) return { status: 'expired' };
		return { status: 'valid', info };
	}

	/** GET|POST /oauth/token/ */
	handleToken(params: Params, authorization: string | undefined): Reply {
		const basic = parseBasicAuth(authorization);
		const grantType = phpString(params.grant_type);
		const clientId = isSet(params.client_id) ? phpString(params.client_id) : (basic?.user ?? '');
		const clientSecret = isSet(params.client_secret)
			? phpString(params.client_secret)
			: (basic?.password ?? '');
		if (grantType === '') return oauthError(400, 'invalid_request', 'grant_type is required');
		const app = this.portal.state.apps.find((candidate) => candidate.clientId === clientId);
		if (!app || app.clientSecret !== clientSecret)
			return oauthError(401, 'invalid_client', 'Invalid client credentials');

		if (grantType === 'authorization_code')
			return this.redeem(this.codes, phpString(params.code), app, 'authorization code');
		if (grantType === 'refresh_token')
			return this.redeem(this.refreshTokens, phpString(params.refresh_token), app, 'refresh token');
		return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${grantType}`);
	}

	/** GET /oauth/authorize/: the user is already logged in and approves at once. */
	handleAuthorize(params: Params): Reply {
		const app = this.portal.state.apps.find(
			(candidate) => candidate.clientId === phpString(params.client_id),
		);
		if (!app) return oauthError(400, 'invalid_client', 'Application not found');
		const redirectUri = isSet(params.redirect_uri)
			? phpString(params.redirect_uri)
			: app.redirectUri;
		if (!redirectUri) return oauthError(400, 'invalid_request', 'redirect_uri is not set');
		const code = randomToken();
		this.codes.set(code, {
			app,
			userId: app.userId,
			expiresAt: this.portal.now() + CODE_TTL_MS,
			spent: false,
		});
		const query = httpBuildQuery({
			code,
			state: isSet(params.state) ? phpString(params.state) : null,
			domain: this.portal.domain,
			member_id: this.portal.state.memberId,
			scope: app.scopes.join(','),
			server_domain: this.portal.domain,
		});
		return redirectReply(`${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${query}`);
	}

	/** Codes and refresh tokens are single-use, bound to their app, and expire. */
	private redeem(
		grants: Map<string, GrantRecord>,
		key: string,
		app: OAuthApp,
		what: string,
	): Reply {
		const grant = grants.get(key);
		if (!grant || grant.spent || grant.app !== app || grant.expiresAt <= this.portal.now())
			return oauthError(400, 'invalid_grant', `Invalid ${what}`);
		grant.spent = true;
		return jsonReply(200, this.grantTokens(app, grant.userId));
	}

	private grantTokens(app: OAuthApp, userId: number): TokenResponse {
		const refreshToken = randomToken();
		this.refreshTokens.set(refreshToken, {
			app,
			userId,
			expiresAt: this.portal.now() + REFRESH_TTL_MS,
			spent: false,
		});
		return { ...this.accessTokenBlock(app, userId), refresh_token: refreshToken };
	}

	private requireApp(clientId: string): OAuthApp {
		const app = this.portal.state.apps.find((candidate) => candidate.clientId === clientId);
		if (!app)
			throw new Error(`sandbox.oauth: no app with clientId ${clientId}; call registerApp first`);
		return app;
	}
}

function randomToken(): string {
	return randomBytes(24).toString('hex');
}

function oauthError(status: number, error: string, description: string): Reply {
	return jsonReply(status, { error, error_description: description });
}

function parseBasicAuth(header: string | undefined): { user: string; password: string } | null {
	const match = /^Basic\s+(.+)$/i.exec(header ?? '');
	if (!match) return null;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon === -1) return null;
	return {
		user: decodeURIComponent(decoded.slice(0, colon)),
		password: decodeURIComponent(decoded.slice(colon + 1)),
	};
}
