/**
 * One delivery from Bitrix24, start to end. Every way out except a new, authentic, selected
 * event answers at once and starts nothing:
 *   not a Bitrix24 event (malformed, oversized, hostile keys)  → 400
 *   token missing or wrong                                       → 401 (while listening for a
 *                                                                  test event: an error in the editor)
 *   an event type the user did not select                        → 200, ignored
 *   the same event for the same call within 30 s                 → 200, ignored
 * Bitrix24 does not retry and calls slow handlers less often (docs/bitrix24-fidelity.md rows 27–29), so the answer
 * never waits for the workflow: an accepted event is answered 200 `{"status":"accepted"}` here,
 * before the call record is fetched (version 1.1) and before n8n starts the execution. Answering
 * here, rather than through n8n's "respond immediately", also spares Bitrix24 the literal body
 * `firstEntryJson` n8n sends for a trigger that declares no `responseData`.
 * Version 1.1's "Receive Application Token" mode is handled apart (tokenSetup.ts).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { expectedToken, tokensMatch } from './authenticity';
import { dedupKey, seenRecently } from './dedup';
import { triggerAuthentication, type TriggerAuthentication } from './description';
import { readEnvelope } from './envelope';
import { readForm } from './formBody';
import { outputItem } from './output';
import { isTokenSetup, receiveApplicationToken } from './tokenSetup';
import { isV11 } from './versions';

/** Answers the request here, so that n8n starts nothing and sends nothing else. */
function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	ctx.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

/** Acknowledged (200 through n8n's own answer), but no execution. */
function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { status: 'ignored', reason } };
}

const TOKEN_NOT_CONFIGURED =
	'The Bitrix24 OAuth2 credential has no Application Token, so events cannot be told from forgeries and are all refused';
const TOKEN_NOT_CONFIGURED_HELP =
	'Put the application token of your Bitrix24 application into the "Application Token" field of the credential. Bitrix24 sends it with every event (auth[application_token]) and to the ONAPPINSTALL handler when the application is installed; a trigger of version 1.1 can receive it for you with "Receive Application Token".';

const TOKEN_MISMATCH =
	"The test event's application token does not match the one in the credential, so the event was refused";
const TOKEN_MISMATCH_HELP: Record<TriggerAuthentication, string> = {
	outboundWebhook:
		'In Bitrix24 open Developer resources → Other → your outbound webhook, copy its "Application token" and paste it into the Bitrix24 Outbound Webhook credential of this node. Each outbound webhook has its own token; a deleted and recreated webhook has a new one. Once the workflow is active, events with a wrong token are refused with HTTP 401 without an error here.',
	oAuth2:
		'Put the application token of this Bitrix24 local application into the "Application Token" field of the Bitrix24 OAuth2 credential. Reinstalling the application changes its token. Once the workflow is active, events with a wrong token are refused with HTTP 401 without an error here.',
};

function selectedEvents(ctx: IWebhookFunctions): string[] {
	const value = ctx.getNodeParameter('events', []) as unknown;
	return Array.isArray(value) ? value.map((event) => String(event).toUpperCase()) : [];
}

export async function receiveEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject() as { rawBody?: unknown } | undefined;
	const form = readForm({
		contentType: String(this.getHeaderData()['content-type'] ?? ''),
		rawBody: request?.rawBody,
		parsedBody: this.getBodyData(),
	});
	if (!form.ok)
		return answer(this, 400, {
			error: 'invalid_event',
			message: `Not a Bitrix24 event: ${form.reason}`,
		});
	const parsed = readEnvelope(form.body);
	if (!parsed.ok)
		return answer(this, 400, {
			error: 'invalid_event',
			message: `Not a Bitrix24 event: ${parsed.reason}`,
		});
	const { envelope } = parsed;

	const version = this.getNode().typeVersion;
	const mode = triggerAuthentication(
		this.getNodeParameter('authentication', isV11(version) ? 'oAuth2' : 'outboundWebhook'),
	);
	if (isV11(version) && mode === 'oAuth2' && isTokenSetup(this)) {
		return await receiveApplicationToken(this, envelope, (status, body) =>
			answer(this, status, body),
		);
	}
	const expected = await expectedToken(this, mode);
	if (expected === '') {
		// While the user listens for a test event, say what is wrong where they look; a
		// production URL answers 401 like to any unauthenticated event.
		if (this.getMode() === 'manual') {
			throw new NodeOperationError(this.getNode(), TOKEN_NOT_CONFIGURED, {
				description: TOKEN_NOT_CONFIGURED_HELP,
			});
		}
		return answer(this, 401, {
			error: 'application_token_not_configured',
			message: `${TOKEN_NOT_CONFIGURED}. ${TOKEN_NOT_CONFIGURED_HELP}`,
		});
	}
	if (!tokensMatch(envelope.applicationToken, expected)) {
		// Listening for a test event: the user is looking at the editor, so say it there (n8n
		// shows the error and answers Bitrix24 with 500). Production answers 401 quietly: anyone
		// may post to that URL, and a forger learns nothing from the answer.
		if (this.getMode() === 'manual') {
			throw new NodeOperationError(this.getNode(), TOKEN_MISMATCH, {
				description: TOKEN_MISMATCH_HELP[mode],
			});
		}
		return answer(this, 401, {
			error: 'invalid_application_token',
			message: 'auth[application_token] is missing or does not match',
		});
	}

	if (!selectedEvents(this).includes(envelope.event)) {
		return ignore(`${envelope.event} is not one of the events selected in the trigger`);
	}
	const key = dedupKey(
		{
			workflowId: String(this.getWorkflow().id ?? ''),
			nodeId: this.getNode().id,
			mode: this.getMode(),
		},
		envelope.event,
		envelope.data,
	);
	if (seenRecently(key, Date.now())) {
		return ignore('the same event for the same call arrived less than 30 seconds ago');
	}
	answer(this, 200, { status: 'accepted', event: envelope.event });
	const item = await outputItem(this, envelope);
	return { noWebhookResponse: true, workflowData: [this.helpers.returnJsonArray([item])] };
}
