/**
 * What went wrong with a Bitrix24 request, in words a user can act on, and the one place where it
 * becomes an n8n node error. The transport throws `Bitrix24Failure` (already redacted);
 * `toNodeError` turns it into a `NodeApiError` with the item index, for the operations, the
 * pickers and the trigger alike. Bitrix24 signals an error by `error`; telephony validation errors
 * often have an EMPTY code with the reason only in `error_description`, so those are matched on
 * the description. Every message ends with Bitrix24's own code and words, verbatim, so a user can
 * search for them or quote them to support; the description says what to do.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { BY_DESCRIPTION } from './refusals';

/**
 * rateLimit: 503 QUERY_LIMIT_EXCEEDED / OVERLOAD_LIMIT, refused before processing, always safe to
 * repeat. operatingLimit: 429 OPERATION_TIME_LIMIT, the method is blocked until its time budget
 * resets. auth: credential, scope or auth type; repeating cannot help. notSent: never reached
 * Bitrix24 (refused, DNS), safe to repeat. unknownOutcome: the answer was lost (reset, timeout,
 * 5xx, gateway page), Bitrix24 may have processed it. rejected: Bitrix24 refused this request
 * (validation, not found…). wrongEndpoint: not the REST API (wrong URL, redirect, HTML page).
 * cancelled: the execution was cancelled.
 */
export type FailureKind =
	| 'rateLimit'
	| 'operatingLimit'
	| 'auth'
	| 'notSent'
	| 'unknownOutcome'
	| 'rejected'
	| 'wrongEndpoint'
	| 'cancelled';

export interface FailureDetails {
	kind: FailureKind;
	/** The Bitrix24 REST method, e.g. `telephony.externalcall.register`. */
	method: string;
	/** Bitrix24's `error` value (may be `""`), or a transport code such as `ECONNRESET`. */
	code: string;
	/** Bitrix24's `error_description`, or the transport's own text. Already redacted. */
	reason: string;
	/** One line a user can act on. */
	message: string;
	/** What to do about it. */
	description: string;
	httpCode?: number;
	/** Unix seconds when an operating-time block ends, when Bitrix24 told us. */
	operatingResetAt?: number;
}

export class Bitrix24Failure extends Error {
	constructor(readonly details: FailureDetails) {
		super(details.message);
		this.name = 'Bitrix24Failure';
	}

	get kind(): FailureKind {
		return this.details.kind;
	}
}

export function toNodeError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const item = itemIndex !== undefined ? { itemIndex } : {};
	if (!(error instanceof Bitrix24Failure))
		return new NodeOperationError(ctx.getNode(), error as Error, item);
	const { details } = error;
	const answer = { error: details.code, error_description: details.reason, method: details.method };
	return new NodeApiError(ctx.getNode(), answer as JsonObject, {
		message: namingCredential(ctx, details),
		description: details.description,
		...(details.httpCode ? { httpCode: String(details.httpCode) } : {}),
		...item,
	});
}

/** A refused webhook names the n8n credential that holds it, so the user knows which to fix. */
function namingCredential(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	details: FailureDetails,
): string {
	const name = ctx.getNode().credentials?.bitrix24WebhookApi?.name;
	if (details.code.toLowerCase() !== 'invalid_credentials' || !name) return details.message;
	return details.message.replace('the webhook', `the webhook of the credential "${name}"`);
}

type Explained = Pick<FailureDetails, 'kind' | 'message' | 'description'>;

/** The permission (scope) a method needs: `crm.*` crm, `user.*` user, everything else telephony. */
export function scopeOf(method: string): string {
	const prefix = method.toLowerCase().split('.')[0];
	return prefix === 'crm' || prefix === 'user' ? prefix : 'telephony';
}

/**
 * What the user sees in n8n's editor: a node with several credential types shows one Credential
 * field (the `authentication` parameter is hidden), and choosing a credential of the other type
 * switches it. So the way out is named by that field, not by "Authentication".
 */
const OAUTH_SWITCH =
	'In this node, choose or create a Bitrix24 OAuth2 API credential in the Credential field: it needs a local application in Bitrix24 (Developer resources → Other → Local application, "uses API only", scopes telephony, crm, user) whose client ID and secret go into the credential.';

const BY_CODE: Record<string, (method: string, reason: string) => Explained> = {
	// An expired inbound webhook answers the same as a deleted one (docs/bitrix24-fidelity.md
	// row 45), so the message names both; toNodeError adds the credential's name.
	invalid_credentials: () => ({
		kind: 'auth',
		message: 'Bitrix24 rejected the webhook: it has expired, was deleted, or its URL is wrong',
		description:
			'Inbound webhooks can have an expiration date, after which Bitrix24 refuses them like a deleted one. In Bitrix24 open Developer resources → Other → Inbound webhook, check the webhook (or create a new one), copy its URL and paste it into the credential.',
	}),
	no_auth_found: () => ({
		kind: 'auth',
		message: 'Bitrix24 found no authorization in the request',
		description:
			'Check that the webhook URL in the credential contains /rest/<user id>/<code>/, or reconnect the OAuth2 credential.',
	}),
	insufficient_scope: (method) => ({
		kind: 'auth',
		message: `The credential lacks the "${scopeOf(method)}" permission needed for ${method}`,
		description: `Add the "${scopeOf(method)}" scope: for an inbound webhook, edit it in Bitrix24 (Developer resources → Inbound webhook), tick ${scopeOf(method)} and save (the URL stays the same); for a local application, add the scope in its settings and reinstall it. The package needs telephony, crm and user.`,
	}),
	wrong_auth_type: (method) => ({
		kind: 'auth',
		message: `Bitrix24 accepts ${method} only from an application, not from an inbound webhook: use the Bitrix24 OAuth2 credential`,
		description: OAUTH_SWITCH,
	}),
	access_denied: (method) => ({
		kind: 'auth',
		message: 'Bitrix24 denied access',
		description:
			method.toLowerCase() === 'voximplant.statistic.get'
				? 'Reading the call history needs the telephony permission "Call statistics: view" for the employee who owns the credential (Telephony → Settings → Access permissions).'
				: "The employee who owns the credential may lack rights for telephony, or the REST API is not available on the portal's plan.",
	}),
	expired_token: () => ({
		kind: 'auth',
		message: 'Bitrix24 still reports the access token as expired after refreshing it',
		description:
			'Open the Bitrix24 OAuth2 credential in n8n and click "Reconnect" (sign in to Bitrix24 and allow the application again). If it keeps happening, check the clock of a self-hosted Bitrix24 server.',
	}),
	invalid_token: () => ({
		kind: 'auth',
		message: 'Bitrix24 does not recognise the access token',
		description:
			'Reconnect the Bitrix24 OAuth2 credential; the application may have been reinstalled or deleted.',
	}),
	invalid_grant: () => ({
		kind: 'auth',
		message: 'Bitrix24 refused to refresh the access token: reconnect the credential',
		description:
			'The refresh token was revoked, already used, or not used for 180 days (the application may have been reinstalled or its access withdrawn). Open the Bitrix24 OAuth2 credential in n8n and click "Reconnect" (sign in to Bitrix24 and allow the application again).',
	}),
	invalid_client: () => ({
		kind: 'auth',
		message: "Bitrix24 rejected the application's client ID or client secret",
		description:
			'Copy "Application ID (client_id)" and "Application key (client_secret)" again from the local application in Bitrix24 (Developer resources → Other → Local applications) into the Bitrix24 OAuth2 credential, then click "Reconnect". Reinstalling or recreating the application changes its keys.',
	}),
	authorization_error: () => ({
		kind: 'auth',
		message: 'Bitrix24 refused the user behind the credential',
		description:
			'The employee who created the webhook or installed the application may have been dismissed. Create the credential again as an active administrator.',
	}),
	invalid_request: (_method, reason) => ({
		kind: 'auth',
		message: reason.toLowerCase().includes('https')
			? 'Bitrix24 requires HTTPS for webhooks'
			: 'Bitrix24 rejected the request',
		description: 'Use the https:// address of the portal in the credential.',
	}),
	error_method_not_found: (method) => ({
		kind: 'wrongEndpoint',
		message: `Bitrix24 does not know the method ${method}`,
		description:
			'The portal answered "Method not found". The webhook URL may be malformed (a missing user id causes this), or the telephony module is not available on this portal.',
	}),
	query_limit_exceeded: () => ({
		kind: 'rateLimit',
		message: 'Bitrix24 kept refusing requests: too many requests to this portal',
		description:
			'The portal allows a burst of 50 requests, then 2 per second (250 and 5 on Enterprise), shared by everything that calls it from this address. Another system may be using up the limit; the node waited and retried before giving up. Set "Plan" in the credential to match the portal.',
	}),
	overload_limit: () => ({
		kind: 'rateLimit',
		message: 'Bitrix24 is temporarily blocking the REST API because of overload',
		description: 'Try again in a few minutes.',
	}),
	operation_time_limit: (method) => ({
		kind: 'operatingLimit',
		message: `Bitrix24 has blocked ${method} for exceeding its server-time budget`,
		description:
			'Bitrix24 gives each method a fixed amount of server time per 10 minutes (about 480 s on cloud portals). The block lifts by itself when the oldest minute of that window expires.',
	}),
	portal_deleted: () => ({
		kind: 'wrongEndpoint',
		message: 'The Bitrix24 portal was deleted',
		description: 'Check the portal address in the credential.',
	}),
	payment_required: () => ({
		kind: 'auth',
		message: 'Bitrix24 requires a paid plan for this',
		description: "The REST API or the application is not available on the portal's current plan.",
	}),
};

/**
 * Bitrix24's own words, as they are: ` (Bitrix24: CODE "description")`, without the code when
 * Bitrix24 sent none (telephony validation errors) and without the description when it is empty.
 */
export function bitrix24Words(code: string, reason: string): string {
	const words = [code, reason ? `"${reason}"` : ''].filter((part) => part !== '').join(' ');
	return words ? ` (Bitrix24: ${words})` : '';
}

/**
 * Explains an error answer `{error, error_description}` of `method`: our one line, then Bitrix24's
 * code and description verbatim (`reason` must already be redacted).
 */
export function explainBitrix24Error(
	method: string,
	code: string,
	reason: string,
	httpCode: number,
): Explained {
	const words = bitrix24Words(code, reason);
	const byDescription = BY_DESCRIPTION.find(([prefix]) => reason.toLowerCase().startsWith(prefix));
	if (byDescription)
		return { kind: 'rejected', message: byDescription[1] + words, description: byDescription[2] };
	const byCode = BY_CODE[code.toLowerCase()]?.(method, reason);
	if (byCode) return { ...byCode, message: byCode.message + words };
	return {
		kind: httpCode >= 500 ? 'unknownOutcome' : 'rejected',
		message: `Bitrix24 rejected ${method}${code || reason ? '' : ` with HTTP ${httpCode} and no reason`}${words}`,
		description:
			httpCode >= 500
				? 'Bitrix24 had an internal error. It may or may not have processed the request.'
				: `Bitrix24 answered ${code ? `"${code}"` : 'without an error code'} with HTTP ${httpCode}. Check the values sent against Bitrix24's documentation of ${method}.`,
	};
}

/** What happened, in our words (n8n's generic texts advise retrying, which may be wrong here). */
const NETWORK_REASONS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before Bitrix24 answered',
	EPIPE: 'the connection was closed while sending',
	ETIMEDOUT: 'no answer came within the timeout',
	ECONNABORTED: 'no answer came within the timeout',
	ECONNREFUSED: 'the portal refused the connection',
	ENOTFOUND: "the portal's host name was not found",
	EAI_AGAIN: "the portal's host name could not be resolved",
};

export function describeNetworkError(error: unknown, code: string): string {
	if (NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
	const message = (error as { message?: unknown })?.message;
	return typeof message === 'string' && message ? `${message} (${code})` : code;
}
