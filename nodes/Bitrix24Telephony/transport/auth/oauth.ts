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

import { Bitrix24Failure } from '../errors';
import { oauthRestBase, type Bitrix24Context, type Connection } from './connection';
import { refreshFailure } from '../classify';

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
