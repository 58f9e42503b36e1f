/**
 * Why an OAuth2 token refresh failed, from whatever n8n threw: the token server's answer
 * (`{ error, error_description }`, somewhere in the chain client-oauth2 and n8n wrap around it),
 * n8n's own "reconnect" error (2.41+), or a socket error when the OAuth server did not answer.
 */
import type { IDataObject } from 'n8n-workflow';

import { errorChain } from '../classify';
import { Bitrix24Failure, explainBitrix24Error } from '../errors';
import type { Redactor } from './redact';

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
