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
		message: details.message,
		description: details.description,
		...(details.httpCode ? { httpCode: String(details.httpCode) } : {}),
		...item,
	});
}

type Explained = Pick<FailureDetails, 'kind' | 'message' | 'description'>;

/** The permission (scope) a method needs: `crm.*` crm, `user.*` user, everything else telephony. */
export function scopeOf(method: string): string {
	const prefix = method.toLowerCase().split('.')[0];
	return prefix === 'crm' || prefix === 'user' ? prefix : 'telephony';
}

const OAUTH_SWITCH =
	'In this node set Authentication to "OAuth2 (Local Application)" and select a Bitrix24 OAuth2 credential: create a local application in Bitrix24 (Developer resources → Other → Local application, "uses API only", scopes telephony, crm, user) and enter its client ID and secret in the credential.';

/**
 * Telephony validation errors, matched on `error_description` (lower-cased, prefix) because their
 * code is empty or generic: [prefix, our message, what to do]. All are refusals of this request.
 */
const BY_DESCRIPTION: Array<[string, string, string]> = [
	[
		'user_id or user_phone_inner should be set',
		'Bitrix24 found no employee for this call',
		'Bitrix24 needs the employee as User ID or as extension. No active employee has this extension (Bitrix24 reads extensions from the user field "Internal phone", UF_PHONE_INNER), or the user ID was empty. Check the employee\'s internal phone in their Bitrix24 profile, or identify them by user ID.',
	],
	[
		'user is not found or is not active',
		'The Bitrix24 employee is not found or is not active',
		'The user ID does not belong to an active employee. Dismissed employees, bots and system users cannot own calls. Pick an active employee.',
	],
	[
		'unknown type',
		'Bitrix24 rejected the call type',
		'Call Type must be 1 (outgoing), 2 (incoming), 3 (incoming with redirection), 4 (callback) or 5 (informational). Old self-hosted portals accept only 1 and 2: use Incoming (2) there for redirected and callback calls, or update the portal.',
	],
	[
		'call_start_date should be in the iso-8601 format',
		'Bitrix24 could not read the call start date',
		'Send the date as ISO 8601 with a UTC offset, for example 2026-03-10T11:19:38+01:00.',
	],
	[
		'unsupported phone number format',
		'Bitrix24 could not read the phone number',
		'After removing letters and spaces nothing was left of the number. Send it in international format, for example +4915112345678.',
	],
	[
		'call is not found (call should be registered prior to finishing',
		'Bitrix24 has no active call with this call ID',
		'A call can be finished only once, and only after it was registered. This call ID was already finished, or never registered on this portal. If the PBX sent its hang-up twice, the first finish already logged the call.',
	],
	[
		'call_id must be a string',
		'Bitrix24 needs the call ID as text',
		'Use the CALL_ID returned by Register, for example externalCall.716f1cb73def9700a23842adf9c4c568.1773130779.',
	],
	[
		'call is not found in the statistic table',
		'The call is not finished yet: finish it before attaching the recording',
		'Bitrix24 attaches recordings only to finished calls. Run the Finish operation for this call ID first, then Attach Record.',
	],
	[
		'record url resolves to a non-public address',
		'Bitrix24 will not download the recording from a private address',
		'Bitrix24 cloud fetches Record URL from its own servers and refuses addresses in private networks (such as 192.168.x.x or localhost). Set Recording Source to "Binary File" and read the file into n8n first, or publish the recording at a public URL.',
	],
];

const BY_CODE: Record<string, (method: string, reason: string) => Explained> = {
	invalid_credentials: () => ({
		kind: 'auth',
		message: 'Bitrix24 rejected the webhook credentials',
		description:
			'The user ID or code in the webhook URL is wrong, or the webhook was deleted or has expired. In Bitrix24 open Developer resources → Other → Inbound webhook, copy the webhook URL and paste it into the credential.',
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
