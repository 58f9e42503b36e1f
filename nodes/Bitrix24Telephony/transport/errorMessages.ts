/**
 * Bitrix24 error answers → messages a user can act on. Bitrix24 signals an error by the presence
 * of `error`; telephony validation errors often have an EMPTY code (or `ERROR_CORE`, per the docs)
 * with the reason only in `error_description`, so those are matched on the description.
 *
 * Every message ends with Bitrix24's own code and words, verbatim: a user can search for them,
 * match them to Bitrix24's documentation, or quote them to support. Our sentence says what it
 * means; the description says what to do.
 */
import type { FailureDetails, FailureKind } from './failure';

type Explained = Pick<FailureDetails, 'kind' | 'message' | 'description'>;

const SCOPE_BY_PREFIX: Array<[string, string]> = [
	['telephony.', 'telephony'],
	['voximplant.', 'telephony'],
	['crm.', 'crm'],
	['user.', 'user'],
];

export function scopeOf(method: string): string {
	const lower = method.toLowerCase();
	return SCOPE_BY_PREFIX.find(([prefix]) => lower.startsWith(prefix))?.[1] ?? 'telephony';
}

/**
 * What the user sees in n8n's editor: a node with several credential types shows one Credential
 * field (the `authentication` parameter is hidden), and choosing a credential of the other type
 * switches it. So the way out is named by that field, not by "Authentication".
 */
export const OAUTH_SWITCH =
	'In this node, choose or create a Bitrix24 OAuth2 API credential in the Credential field: it needs a local application in Bitrix24 (Developer resources → Other → Local application, "uses API only", scopes telephony, crm, user) whose client ID and secret go into the credential.';

/** Matched on `error_description` (lower-cased, prefix) when the code is empty or generic. */
const BY_DESCRIPTION: Array<[string, (method: string) => Explained]> = [
	[
		'user_id or user_phone_inner should be set',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 found no employee for this call',
			description:
				'Bitrix24 needs the employee as User ID or as extension. No active employee has this extension (Bitrix24 reads extensions from the user field "Internal phone", UF_PHONE_INNER), or the user ID was empty. Check the employee\'s internal phone in their Bitrix24 profile, or identify them by user ID.',
		}),
	],
	[
		'user is not found or is not active',
		() => ({
			kind: 'rejected',
			message: 'The Bitrix24 employee is not found or is not active',
			description:
				'The user ID does not belong to an active employee. Dismissed employees, bots and system users cannot own calls. Pick an active employee.',
		}),
	],
	[
		'unknown type',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 rejected the call type',
			description:
				'Call Type must be 1 (outgoing), 2 (incoming), 3 (incoming with redirection), 4 (callback) or 5 (informational). Old self-hosted portals accept only 1 and 2: use Incoming (2) there for redirected and callback calls, or update the portal.',
		}),
	],
	[
		'call_start_date should be in the iso-8601 format',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 could not read the call start date',
			description:
				'Send the date as ISO 8601 with a UTC offset, for example 2026-03-10T11:19:38+01:00.',
		}),
	],
	[
		'unsupported phone number format',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 could not read the phone number',
			description:
				'After removing letters and spaces nothing was left of the number. Send it in international format, for example +4915112345678.',
		}),
	],
	[
		'call is not found (call should be registered prior to finishing',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 has no active call with this call ID',
			description:
				'A call can be finished only once, and only after it was registered. This call ID was already finished, or never registered on this portal. If the PBX sent its hang-up twice, the first finish already logged the call.',
		}),
	],
	[
		'call_id must be a string',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 needs the call ID as text',
			description:
				'Use the CALL_ID returned by Register, for example externalCall.716f1cb73def9700a23842adf9c4c568.1773130779.',
		}),
	],
	[
		'call is not found in the statistic table',
		() => ({
			kind: 'rejected',
			message: 'The call is not finished yet: finish it before attaching the recording',
			description:
				'Bitrix24 attaches recordings only to finished calls. Run the Finish operation for this call ID first, then Attach Record.',
		}),
	],
	[
		'record url resolves to a non-public address',
		() => ({
			kind: 'rejected',
			message: 'Bitrix24 will not download the recording from a private address',
			description:
				'Bitrix24 cloud fetches Record URL from its own servers and refuses addresses in private networks (such as 192.168.x.x or localhost). Set Recording Source to "Binary File" and read the file into n8n first, or publish the recording at a public URL.',
		}),
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

function explain(method: string, code: string, reason: string, httpCode: number): Explained {
	const byDescription = BY_DESCRIPTION.find(([prefix]) => reason.toLowerCase().startsWith(prefix));
	if (byDescription) return byDescription[1](method);
	const byCode = BY_CODE[code.toLowerCase()];
	if (byCode) return byCode(method, reason);
	const kind: FailureKind = httpCode >= 500 ? 'unknownOutcome' : 'rejected';
	return {
		kind,
		message: `Bitrix24 rejected ${method}${code || reason ? '' : ` with HTTP ${httpCode} and no reason`}`,
		description:
			httpCode >= 500
				? 'Bitrix24 had an internal error. It may or may not have processed the request.'
				: `Bitrix24 answered ${code ? `"${code}"` : 'without an error code'} with HTTP ${httpCode}. Check the values sent against Bitrix24's documentation of ${method}.`,
	};
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
	const explained = explain(method, code, reason, httpCode);
	return { ...explained, message: `${explained.message}${bitrix24Words(code, reason)}` };
}
