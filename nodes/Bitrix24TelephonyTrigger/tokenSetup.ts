/**
 * "Receive Application Token" (version 1.1, OAuth2): Bitrix24 tells an application its
 * application token once, in ONAPPINSTALL posted to the application's "Path for initial
 * installation" (b24restdocs api-reference/common/events/on-app-install.md,
 * api-reference/events/safe-event-handlers.md). This mode catches that post and shows the token
 * in the execution output, to copy into the credential.
 *
 * While no token is stored nothing can tell a real ONAPPINSTALL from a forged one, so the mode
 * narrows who could succeed: only ONAPPINSTALL; only on the test URL (the editor listens for a
 * short while, and the user is watching); only while the credential has no token; only once
 * per node within ten minutes; only from the credential's portal (domain and client endpoint)
 * and member ID (from the connected credential's token answer). Nothing but this one test
 * execution is started. The remaining risk is written in the node's notice.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { withoutTokens, type EventEnvelope } from './envelope';
import { credentialTypeOf } from './portalClient';

export const INSTALL_EVENT = 'ONAPPINSTALL';
const ONCE_WINDOW_MS = 10 * 60_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,128}$/;

/** workflow + node → when a token was handed out. */
const handedOut = new Map<string, number>();

/** For tests: forget what was handed out. */
export function resetTokenSetup(): void {
	handedOut.clear();
}

export function isTokenSetup(ctx: IWebhookFunctions): boolean {
	return ctx.getNodeParameter('applicationTokenSetup', false) === true;
}

type Refusal = { status: number; error: string; message: string };

function hostOf(value: unknown): string {
	try {
		const text = String(value ?? '').trim();
		return new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`).host.toLowerCase();
	} catch {
		return '';
	}
}

function check(
	envelope: EventEnvelope,
	credential: IDataObject,
	key: string,
	now: number,
): Refusal | undefined {
	if (envelope.event !== INSTALL_EVENT)
		return {
			status: 400,
			error: 'setup_accepts_only_onappinstall',
			message: `Receive Application Token accepts only ${INSTALL_EVENT}`,
		};
	if (String(credential.applicationToken ?? '').trim() !== '')
		return {
			status: 409,
			error: 'application_token_already_set',
			message:
				'The Bitrix24 OAuth2 credential already has an Application Token. Turn off "Receive Application Token".',
		};
	const tokens = (credential.oauthTokenData ?? {}) as IDataObject;
	const memberId = String(tokens.member_id ?? '');
	if (memberId === '')
		return {
			status: 412,
			error: 'credential_not_connected',
			message:
				'Connect the Bitrix24 OAuth2 credential first (Connect my account): its member ID is what an installation event must match.',
		};
	const portalHosts = new Set(
		[credential.portalUrl, tokens.client_endpoint].map(hostOf).filter((host) => host !== ''),
	);
	const { auth } = envelope;
	const eventHosts = [auth.domain, auth.client_endpoint].map(hostOf);
	if (
		auth.member_id !== memberId ||
		eventHosts.some((host) => host === '' || !portalHosts.has(host))
	)
		return {
			status: 403,
			error: 'other_portal',
			message: "The installation event does not come from the credential's portal",
		};
	if (typeof envelope.applicationToken !== 'string' || !TOKEN_SHAPE.test(envelope.applicationToken))
		return {
			status: 400,
			error: 'no_application_token',
			message: 'The installation event carries no application token',
		};
	const at = handedOut.get(key);
	if (at !== undefined && now - at < ONCE_WINDOW_MS && now >= at)
		return {
			status: 409,
			error: 'already_received',
			message: 'An application token was already received here in the last ten minutes',
		};
	return undefined;
}

/** Handles one delivery in setup mode: the token item, or a refusal that starts nothing. */
export async function receiveApplicationToken(
	ctx: IWebhookFunctions,
	envelope: EventEnvelope,
	answer: (status: number, body: IDataObject) => IWebhookResponseData,
): Promise<IWebhookResponseData> {
	if (ctx.getMode() !== 'manual')
		return answer(403, {
			error: 'setup_on_test_url_only',
			message:
				'Receive Application Token works only on the test URL while the editor listens. Turn it off to activate the workflow.',
		});
	const credential = (await ctx.getCredentials(credentialTypeOf('oAuth2'))) as IDataObject;
	const key = `${String(ctx.getWorkflow().id ?? '')}\u0000${ctx.getNode().id}`;
	const now = Date.now();
	const refusal = check(envelope, credential, key, now);
	if (refusal) {
		// Only a wrong event or portal is answered quietly (anyone may post to the URL); a
		// credential that is not ready is said in the editor, where the user is looking.
		if (refusal.status === 409 || refusal.status === 412)
			throw new NodeOperationError(ctx.getNode(), refusal.message);
		return answer(refusal.status, { error: refusal.error, message: refusal.message });
	}
	handedOut.set(key, now);
	const item: IDataObject = {
		event: envelope.event,
		applicationToken: envelope.applicationToken as string,
		next: 'Copy applicationToken into the "Application Token" field of the Bitrix24 OAuth2 credential, turn off "Receive Application Token", and delete this execution.',
		data: envelope.data as IDataObject,
		auth: withoutTokens(envelope.auth) as IDataObject,
	};
	answer(200, { status: 'received' });
	return { noWebhookResponse: true, workflowData: [ctx.helpers.returnJsonArray([item])] };
}
