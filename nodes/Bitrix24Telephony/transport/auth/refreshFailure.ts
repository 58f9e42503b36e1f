/**
 * Why an OAuth2 token refresh failed, in words a user can act on. The token server's answer
 * (`{ error, error_description }`) sits somewhere in the chain of errors n8n and client-oauth2
 * wrap around it; a socket error means the OAuth server did not answer at all.
 */
import type { IDataObject } from 'n8n-workflow';

import { errorChain, findSocketCode, messageOf } from '../errorChain';
import { explainBitrix24Error } from '../errorMessages';
import { Bitrix24Failure } from '../failure';
import type { Redactor } from './redact';

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
	const reason = redact.text(
		oauth?.description || messageOf(problem) || 'The token could not be refreshed',
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
		if (
			typeof link.message === 'string' &&
			/authorization grant\b.*\bis invalid/i.test(link.message)
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
