/**
 * The OAuth2 path of the transport (credential `bitrix24OAuth2Api`, a Bitrix24 local application).
 * n8n's OAuth2 machinery stays in charge of the tokens; this module only puts the access token
 * where every portal reads it, and turns an `expired_token` answer into one refresh.
 *
 * Where a portal reads the access token (checked in the REST module source and the official SDKs):
 * - rest `lib/oauth/auth.php`, `Auth::getAuthKey()`: in rest 20.0.500 (2020-07), 25.600.100 and
 *   26.650.0 it takes `Authorization: Bearer <token>` first, then the request parameter `auth`, then
 *   `access_token`. Rest 17.0.8 (2017-04) and 17.6.2 (2018-04) read ONLY the `auth` /
 *   `access_token` parameters (no header). Mirrors: portartoor/realty, pritamgt/bitrix-study,
 *   sergey1998181devlop/astt, zWolf-SW/bitrix_tst, lisataylorswift/ex2 (third-party copies of the
 *   module). Also, web servers running PHP as CGI/FPM often drop the Authorization header.
 * - The parameters are `CRestUtil::getRequestData()` (`classes/general/rest_util.php`): query string
 *   and form or JSON body merged, so `auth` in a JSON body works as well as in the query.
 * - The official SDKs all send `auth` in the JSON body: bitrix24/b24phpsdk `src/Core/ApiClient.php`
 *   (`$parameters['auth'] = …accessToken`), bitrix24/b24pysdk `b24pysdk/api/callers/call_method.py`
 *   (`params | {"auth": token}`), bitrix24/b24jssdk `packages/jssdk/src/core/http/abstract-http.ts`
 *   (body `auth`; the header only for its v3 batch). bitrix24/b24restdocs
 *   `settings/how-to-call-rest-api/authorization.md` shows `"auth": "…"` in the body.
 * ⇒ Every request carries the token as `auth` in its JSON body (the query string for other
 *   bodies), which works on every portal. n8n also adds the Bearer header (same token): newer
 *   portals read that one, older ones ignore it.
 *
 * Refresh: Bitrix24 answers 401 `expired_token` (rest `Auth::onRestCheckAuth`). n8n refreshes only
 * when a request throws with 401, and the transport reads Bitrix24's errors from the body, so the
 * refresh is asked for explicitly, once, through n8n (`helpers.refreshOAuth2Token`, in every
 * context of n8n-core 1.122, which n8n 1.123, the oldest supported, ships) so that the rotated
 * refresh token is saved by n8n itself. Refreshes of one refresh token are coalesced (Bitrix24
 * rotates it: a second refresh with the same one would get `invalid_grant`).
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { errorChain } from '../classify';
import { Bitrix24Failure, explainBitrix24Error } from '../errors';
import { oauthRestBase, type Bitrix24Context, type Connection, type Redactor } from './connection';

export type TransportRequest = Pick<
	IHttpRequestOptions,
	'url' | 'body' | 'headers' | 'json' | 'qs' | 'baseURL'
>;

export interface SignedRequest {
	request: TransportRequest;
	/** The token the request carries; a refresh is needed only while the credential still holds it. */
	accessToken: string;
}

interface StoredTokens {
	accessToken: string;
	refreshToken: string;
	clientEndpoint: string;
}

/** In-flight refreshes, by the refresh token they spend. Only ever held in memory. */
const refreshing = new Map<string, Promise<void>>();

export function isExpiredToken(failure: Bitrix24Failure): boolean {
	return failure.details.code.toLowerCase() === 'expired_token';
}

function isPlainObject(value: unknown): value is IDataObject {
	return (
		value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
	);
}

export class OAuth2Session {
	constructor(
		private readonly ctx: Bitrix24Context,
		private readonly connection: Connection,
	) {}

	/** The credential's current tokens (another execution may have refreshed them meanwhile). */
	private async readTokens(method: string): Promise<StoredTokens> {
		const credentials = await this.ctx.getCredentials(this.connection.credentialType);
		const data = (credentials.oauthTokenData ?? {}) as IDataObject;
		const tokens: StoredTokens = {
			accessToken: typeof data.access_token === 'string' ? data.access_token : '',
			refreshToken: typeof data.refresh_token === 'string' ? data.refresh_token : '',
			clientEndpoint: typeof data.client_endpoint === 'string' ? data.client_endpoint : '',
		};
		this.connection.redactor.add(
			tokens.accessToken,
			tokens.refreshToken,
			credentials.clientSecret as string,
		);
		if (!tokens.accessToken) {
			throw new Bitrix24Failure({
				kind: 'auth',
				method,
				code: 'NOT_CONNECTED',
				reason: 'The credential holds no access token',
				message: 'The Bitrix24 OAuth2 credential is not connected',
				description:
					'Open the Bitrix24 OAuth2 credential in n8n and click "Connect my account", then sign in to Bitrix24 and allow the application.',
			});
		}
		return tokens;
	}

	/**
	 * The request as the portal must receive it: against `client_endpoint` (it follows a portal's
	 * new address) or `<portal>/rest/`, with the token as `auth`. Absolute URLs are links Bitrix24
	 * handed out (upload links carry their own `auth`), so they are left as they are.
	 */
	async sign(method: string, request: TransportRequest): Promise<SignedRequest> {
		const tokens = await this.readTokens(method);
		const restBase = oauthRestBase(tokens.clientEndpoint, this.connection.portalUrl);
		if (!restBase) {
			throw new Bitrix24Failure({
				kind: 'wrongEndpoint',
				method,
				code: 'NO_PORTAL_URL',
				reason: 'Neither a portal URL nor a client endpoint is known',
				message: 'The Bitrix24 OAuth2 credential has no portal URL',
				description:
					'Enter the address of your Bitrix24 (e.g. https://example.bitrix24.com) as Portal URL in the credential.',
			});
		}
		if (/^https?:\/\//i.test(request.url)) return { request, accessToken: tokens.accessToken };
		const signed: TransportRequest = { ...request, baseURL: restBase };
		if (request.json === true && (request.body === undefined || isPlainObject(request.body))) {
			signed.body = {
				...((request.body as IDataObject | undefined) ?? {}),
				auth: tokens.accessToken,
			};
		} else {
			signed.qs = { ...((request.qs as IDataObject | undefined) ?? {}), auth: tokens.accessToken };
		}
		return { request: signed, accessToken: tokens.accessToken };
	}

	/**
	 * After `expired_token`: refreshes through n8n, unless the credential already holds a newer
	 * token than `usedToken`. Throws a `Bitrix24Failure` when the token could not be renewed.
	 */
	async refresh(method: string, usedToken: string): Promise<void> {
		const before = await this.readTokens(method);
		if (before.accessToken !== usedToken) return;
		const key = before.refreshToken || `access:${usedToken}`;
		let pending = refreshing.get(key);
		if (!pending) {
			pending = this.refreshOnce(method, usedToken).finally(() => refreshing.delete(key));
			refreshing.set(key, pending);
		}
		await pending;
	}

	private async refreshOnce(method: string, usedToken: string): Promise<void> {
		let problem: unknown;
		try {
			await this.ctx.helpers.refreshOAuth2Token.call(this.ctx, this.connection.credentialType);
		} catch (error) {
			problem = error;
		}
		// Whether the token was renewed is read from the credential.
		let after: StoredTokens | undefined;
		try {
			after = await this.readTokens(method);
		} catch (error) {
			problem = problem ?? error;
		}
		if (after && after.accessToken !== usedToken) return;
		throw refreshFailure(this.connection.redactor, method, problem);
	}
}

/*
 * Why an OAuth2 token refresh failed, from whatever n8n threw: the token server's answer
 * (`{ error, error_description }`, somewhere in the chain client-oauth2 and n8n wrap around it),
 * n8n's own "reconnect" error (2.41+), or a socket error when the OAuth server did not answer.
 */

/**
 * A Node socket error code (`ECONNREFUSED`, …) anywhere in the chain. `EAUTH` is not one: the
 * OAuth client uses it for a refused grant.
 */
function findSocketCode(error: unknown): string | undefined {
	const link = errorChain(error).find(
		(e) => typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code) && e.code !== 'EAUTH',
	);
	return link?.code as string | undefined;
}

/** An error's own message, or `''`. */
function messageOf(error: unknown): string {
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : '';
}

/** The failure to report when the token could not be renewed (`problem`: what n8n threw). */
export function refreshFailure(
	redact: Redactor,
	method: string,
	problem: unknown,
): Bitrix24Failure {
	const oauth = findOAuthError(problem);
	const network = oauth ? undefined : findSocketCode(problem);
	if (network) {
		return new Bitrix24Failure({
			kind: 'notSent',
			method,
			code: network,
			reason: redact.text(messageOf(problem) || network),
			// No error code in the message: n8n replaces messages naming ECONNREFUSED & co. with generic text.
			message: 'Could not refresh the Bitrix24 access token: the OAuth server did not answer',
			description: `${network}. Check "OAuth Server URL" in the Bitrix24 OAuth2 credential (https://oauth.bitrix.info unless your portal uses another one) and that n8n can reach it.`,
		});
	}
	const code = oauth?.code || 'REFRESH_FAILED';
	// Only the token server's own words count as Bitrix24's (n8n's and client-oauth2's are not).
	const reason = redact.text(
		oauth ? oauth.description : messageOf(problem) || 'The token could not be refreshed',
	);
	const explained = explainBitrix24Error(method, code, reason, 401);
	const known = explained.kind === 'auth' && code !== 'REFRESH_FAILED';
	return new Bitrix24Failure({
		kind: 'auth',
		method,
		code,
		reason,
		httpCode: 401,
		message: known ? explained.message : `Bitrix24 did not refresh the access token (${code})`,
		description: known
			? explained.description
			: `${reason ? `The OAuth server said: "${reason}". ` : ''}Open the Bitrix24 OAuth2 credential in n8n and click "Reconnect" (sign in to Bitrix24 and allow the application again).`,
	});
}

/** `{ error, error_description }` of a token-server answer, wherever n8n or client-oauth2 put it. */
function findOAuthError(error: unknown): { code: string; description: string } | undefined {
	// client-oauth2's AuthError keeps the answer in `body`; n8n's NodeApiError wraps it as `errorResponse`.
	const chain = errorChain(error, (link) => link.errorResponse ?? link.cause);
	for (const link of chain) {
		const response = link.response as { data?: unknown } | undefined;
		for (const source of [
			link.body,
			response?.data,
			(link.context as IDataObject | undefined)?.data,
		]) {
			const parsed = parseBody(source);
			if (parsed) return parsed;
		}
		// n8n 2.41+ replaces the token server's invalid_grant (only that) by its own "needs to be
		// reconnected" error, tagged `failure.cause`, and drops Bitrix24's words.
		const cause = (link.failure as { cause?: unknown } | undefined)?.cause;
		if (
			cause === 'credential-invalid' ||
			(typeof link.message === 'string' &&
				/authorization grant\b.*\bis invalid/i.test(link.message))
		) {
			return { code: 'invalid_grant', description: '' };
		}
	}
	return undefined;
}

function parseBody(source: unknown): { code: string; description: string } | undefined {
	let value = source;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	if (!value || typeof value !== 'object') return undefined;
	const body = value as IDataObject;
	if (typeof body.error !== 'string' || body.error === '') return undefined;
	return {
		code: body.error,
		description: typeof body.error_description === 'string' ? body.error_description : '',
	};
}
