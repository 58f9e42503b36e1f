/**
 * Who is calling: inbound webhook (APAuth) or OAuth access token.
 * Checked after the method lookup (unknown methods are 404 before auth), with the method's scope.
 */
import {
	authorizationError,
	expiredToken,
	httpsRequired,
	insufficientScope,
	invalidCredentials,
	invalidToken,
	noAuthFound,
} from './errors';
import type { SandboxRuntime } from './runtime';
import { findUser } from './state';

export interface AuthIdentity {
	type: 'webhook' | 'oauth';
	userId: number;
	scopes: string[];
	/** REST_APP_ID of the calling app; null for webhooks. */
	appId: number | null;
	/** Operating-limiter entity: the app's client id or the webhook. */
	limiterEntity: string;
	/** The credential as sent (CRestServer::getAuth), bound into upload links. */
	credentialParts: string[];
	webhookCode?: string;
	accessToken?: string;
}

/** fillAlternativeScope: user_basic and user_brief also open the user methods. */
export function scopeAllowed(granted: string[], scope: string): boolean {
	if (granted.includes(scope)) return true;
	return scope === 'user' && (granted.includes('user_basic') || granted.includes('user_brief'));
}

/** APAuth: /rest/{userId}/{code}/... */
export function authenticateWebhook(
	runtime: SandboxRuntime,
	userSegment: string,
	code: string,
	scope: string | null,
): AuthIdentity {
	const status = runtime.settings.authErrorStatus;
	if (runtime.settings.requireHttps) throw httpsRequired();
	const webhook = runtime.state.webhooks.find(
		(candidate) => String(candidate.userId) === userSegment && candidate.code === code,
	);
	if (!webhook) throw invalidCredentials(status);
	// local-webhooks.md: "If the expiration date has passed, the request stops working and returns
	// an authorization error". No public source names the code; APAuth\Auth::check finds no active
	// password then and answers its default, INVALID_CREDENTIALS (docs/bitrix24-fidelity.md row 45).
	const expiresAt = webhook.expiresAt ?? null;
	if (expiresAt !== null && runtime.now() > expiresAt) throw invalidCredentials(status);
	if (scope !== null && !scopeAllowed(webhook.scopes, scope))
		throw insufficientScope(status, 'webhook');
	const user = findUser(runtime.state, webhook.userId);
	if (!user || !user.active) throw authorizationError();
	return {
		type: 'webhook',
		userId: webhook.userId,
		scopes: webhook.scopes,
		appId: null,
		limiterEntity: `webhook:${webhook.userId}:${webhook.code}`,
		credentialParts: [userSegment, code],
		webhookCode: code,
	};
}

/** OAuth: `auth` parameter (query or body) or an Authorization: Bearer header. */
export function authenticateOAuth(
	runtime: SandboxRuntime,
	token: string,
	scope: string | null,
): AuthIdentity {
	if (token === '') throw noAuthFound();
	const lookup = runtime.oauth.lookupAccessToken(token);
	if (lookup.status === 'unknown') throw invalidToken();
	if (lookup.status === 'expired') throw expiredToken();
	const { app, userId } = lookup.info;
	if (scope !== null && !scopeAllowed(app.scopes, scope))
		throw insufficientScope(runtime.settings.authErrorStatus, 'oauth');
	const user = findUser(runtime.state, userId);
	if (!user || !user.active) throw authorizationError();
	return {
		type: 'oauth',
		userId,
		scopes: app.scopes,
		appId: app.id,
		limiterEntity: `app:${app.clientId}`,
		credentialParts: [token],
		accessToken: token,
	};
}
