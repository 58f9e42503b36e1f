/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Outbound-webhook mode, end to end: the sandbox portal posts real Bitrix24-format events over
 * HTTP to the n8n stand-in, whose body parser hands them to the trigger flat, like n8n does.
 *
 * One file over 250 lines: the cases share one portal and one listening workflow.
 */
import { NodeHelpers } from 'n8n-workflow';

import { Bitrix24OutboundWebhookApi } from '../../credentials/Bitrix24OutboundWebhookApi.credentials';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { testOutboundWebhookToken } from '../../nodes/Bitrix24TelephonyTrigger/credentialTest';
import { DEDUP_WINDOW_MS } from '../../nodes/Bitrix24TelephonyTrigger/dedup';
import {
	expectNoSecrets,
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

const BOTH = ['ONEXTERNALCALLSTART', 'ONEXTERNALCALLBACKSTART'];

function setUp(events: string[] = ['ONEXTERNALCALLSTART'], credentialToken = OUTBOUND_TOKEN) {
	const workflow = triggerWorkflow(n8n(), {
		parameters: { authentication: 'outboundWebhook', events },
		credentials: outboundCredentials(credentialToken),
	});
	return workflow;
}

/**
 * A trigger workflow selecting `selected`, and the outbound webhook Bitrix24 would post to it for
 * `delivered` events, with the token the credential holds.
 */
function subscribed(selected: string[] = ['ONEXTERNALCALLSTART'], delivered: string[] = selected) {
	const workflow = setUp(selected);
	const { applicationToken } = portal().events.addOutboundWebhook({
		url: workflow.webhookUrl(),
		events: delivered,
		applicationToken: OUTBOUND_TOKEN,
	});
	return { workflow, applicationToken };
}

describe('outbound webhook: valid events start the workflow', () => {
	test('click-to-call: Bitrix24 registers the call, the trigger emits { event, data, ts, auth } without tokens', async () => {
		const { workflow, applicationToken } = subscribed();
		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
			crmEntityType: 'CONTACT',
			crmEntityId: 797,
		});

		expect(deliveries).toHaveLength(1);
		expect(deliveries[0].status).toBe(200);
		// Answered by the node, not n8n's "respond immediately" literal `firstEntryJson`.
		expect(JSON.parse(deliveries[0].body)).toEqual({
			status: 'accepted',
			event: 'ONEXTERNALCALLSTART',
		});
		const items = await workflow.triggerItems();
		expect(items).toHaveLength(1);
		const handler = portal().state.eventHandlers[0];
		expect(items[0].json).toEqual({
			event: 'ONEXTERNALCALLSTART',
			event_handler_id: String(handler.id),
			data: {
				PHONE_NUMBER: '+4915112345678',
				PHONE_NUMBER_INTERNATIONAL: '+4915112345678',
				EXTENSION: '',
				USER_ID: '2',
				CALL_LIST_ID: '0',
				LINE_NUMBER: '+493000000',
				IS_MOBILE: '0',
				CALL_ID: callId,
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: '797',
			},
			ts: expect.stringMatching(/^\d+$/),
			auth: {
				domain: portal().url.replace('http://', ''),
				client_endpoint: `${portal().url}/rest/`,
				server_endpoint: `${portal().url}/rest/`,
				member_id: portal().state.memberId,
			},
		});
		// The call exists already: Bitrix24 registered it before sending the event.
		expect(portal().state.activeCalls.map((call) => call.callId)).toContain(callId);
		expectNoSecrets(await visibleText(workflow), [applicationToken]);
	});

	test('a lead created for an unknown number comes through as nested lists', async () => {
		const { workflow } = subscribed();
		await portal().events.clickToCall({ userId: 1, phoneNumber: '+4917000000001' });
		const [item] = await workflow.triggerItems();
		const leadId = String(portal().state.leads.at(-1)?.id);
		expect(item.json.data).toMatchObject({
			CRM_ENTITY_TYPE: 'LEAD',
			CRM_CREATED_LEAD: leadId,
			CRM_CREATED_ENTITIES: [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: leadId }],
		});
	});

	test('callback request: ONEXTERNALCALLBACKSTART with TEXT and VOICE', async () => {
		const { workflow } = subscribed(BOTH);
		const { deliveries } = await portal().events.callbackRequest({
			phoneNumber: '+4915112345678',
			text: 'Call the client',
			voice: 'enfemale',
			crmEntityType: 'LEAD',
			crmEntityId: 1201,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONEXTERNALCALLBACKSTART',
			data: {
				PHONE_NUMBER: '+4915112345678',
				TEXT: 'Call the client',
				VOICE: 'enfemale',
				CRM_ENTITY_TYPE: 'LEAD',
				CRM_ENTITY_ID: '1201',
				LINE_NUMBER: '+493000000',
			},
		});
		expect(item.json.auth).not.toHaveProperty('application_token');
	});
});

describe('outbound webhook: what must not start an execution', () => {
	test('a forged token gets 401 and starts nothing', async () => {
		const workflow = setUp();
		// A second outbound webhook (another portal, or an attacker who guessed the URL).
		portal().events.addOutboundWebhook({
			url: workflow.webhookUrl(),
			events: ['ONEXTERNALCALLSTART'],
			applicationToken: 'forgedtoken0000000000000000000000',
		});
		const { deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
		});
		expect(deliveries[0].status).toBe(401);
		expect(JSON.parse(deliveries[0].body)).toEqual({
			error: 'invalid_application_token',
			message: 'auth[application_token] is missing or does not match',
		});
		expect(await workflow.runs()).toHaveLength(0);
		expect(deliveries[0].body).not.toContain(OUTBOUND_TOKEN);
	});

	test.each([
		['no auth block at all', { domain: 'x' }, false],
		['an empty token', { application_token: '' }, true],
		['the token in the wrong place', { token: OUTBOUND_TOKEN }, true],
		['a prefix of the token', { application_token: OUTBOUND_TOKEN.slice(0, 16) }, true],
		['the token with a different case', { application_token: OUTBOUND_TOKEN.toUpperCase() }, true],
	])('a missing or wrong token (%s) gets 401', async (_name, auth, withAuth) => {
		const workflow = setUp();
		const body = portal().events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			eventHandlerId: 1,
			data: { CALL_ID: 'externalCall.x.1', USER_ID: 1 },
			auth: withAuth ? auth : {},
		});
		const answer = await n8n().post(workflow.webhookUrl(), body);
		expect(answer.status).toBe(401);
		expect(await workflow.runs()).toHaveLength(0);
	});

	test('an event the user did not select is acknowledged (200) and ignored', async () => {
		const { workflow } = subscribed(['ONEXTERNALCALLSTART'], BOTH);
		const { deliveries } = await portal().events.callbackRequest({ phoneNumber: '+4915112345678' });
		expect(deliveries[0].status).toBe(200);
		expect(JSON.parse(deliveries[0].body)).toEqual({
			status: 'ignored',
			reason: 'ONEXTERNALCALLBACKSTART is not one of the events selected in the trigger',
		});
		expect(await workflow.runs()).toHaveLength(0);
		// ... and an event that is not a telephony event at all.
		const other = portal().events.buildBody({
			event: 'ONCRMLEADADD',
			data: { FIELDS: { ID: 5 } },
			auth: { application_token: OUTBOUND_TOKEN },
		});
		expect((await n8n().post(workflow.webhookUrl(), other)).status).toBe(200);
		expect(await workflow.runs()).toHaveLength(0);
	});

	test('a duplicate delivery (same event, same CALL_ID within 30 s) starts one execution', async () => {
		const { workflow } = subscribed();
		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
			duplicate: true,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(JSON.parse(deliveries[1].body)).toEqual({
			status: 'ignored',
			reason: 'the same event for the same call arrived less than 30 seconds ago',
		});
		expect(await workflow.runs()).toHaveLength(1);

		// Another click (another CALL_ID) is a new call.
		const second = await portal().events.clickToCall({ userId: 2, phoneNumber: '+4915112345679' });
		expect(second.callId).not.toBe(callId);
		expect(await workflow.runs()).toHaveLength(2);

		// After the window the same CALL_ID is accepted again.
		const later = Date.now() + DEDUP_WINDOW_MS + 1_000;
		jest.spyOn(Date, 'now').mockReturnValue(later);
		expect((await n8n().post(workflow.webhookUrl(), deliveries[0].payload)).status).toBe(200);
		expect(await workflow.runs()).toHaveLength(3);
	});

	test('duplicates of a callback request (no CALL_ID) are recognised by their content', async () => {
		const { workflow } = subscribed(BOTH);
		const { deliveries } = await portal().events.callbackRequest({
			phoneNumber: '+4915112345678',
			text: 'Hi',
			duplicate: true,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(await workflow.runs()).toHaveLength(1);
		await portal().events.callbackRequest({ phoneNumber: '+4915199999999', text: 'Hi' });
		expect(await workflow.runs()).toHaveLength(2);
	});

	test('a forged duplicate cannot suppress the real event', async () => {
		const { workflow } = subscribed();
		const nextCallId = 'externalCall.guessed.1';
		const forged = portal().events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			data: { CALL_ID: nextCallId },
			auth: { application_token: 'nope' },
		});
		expect((await n8n().post(workflow.webhookUrl(), forged)).status).toBe(401);
		const real = portal().events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			data: { CALL_ID: nextCallId },
			auth: { application_token: OUTBOUND_TOKEN },
		});
		expect((await n8n().post(workflow.webhookUrl(), real)).status).toBe(200);
		expect(await workflow.runs()).toHaveLength(1);
	});

	test('the test URL and the production URL do not share duplicates', async () => {
		const workflow = setUp();
		const body = portal().events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			data: { CALL_ID: 'externalCall.same.1' },
			auth: { application_token: OUTBOUND_TOKEN },
		});
		expect((await n8n().post(workflow.webhookUrl(), body)).status).toBe(200);
		expect((await n8n().post(workflow.webhookUrl(true), body)).status).toBe(200);
		const runs = await workflow.runs();
		expect(runs.map((run) => run.mode)).toEqual(['webhook', 'manual']);
	});

	test('lifecycle: nothing to register with Bitrix24, no request is made', async () => {
		const workflow = setUp();
		portal().clearRequests();
		expect(await workflow.activate()).toEqual({ existed: true });
		expect(await workflow.deactivate()).toBe(true);
		expect(portal().requests).toHaveLength(0);
	});
});

describe('the bitrix24OutboundWebhookApi form: what Test checks, live notices for pasting mistakes', () => {
	const credential = new Bitrix24OutboundWebhookApi();
	/** The notices n8n's editor shows for this value (it evaluates displayOptions on the form's values). */
	const shown = (applicationToken: string) =>
		credential.properties
			.filter((property) => property.type === 'notice')
			.filter((property) =>
				NodeHelpers.displayParameter({ applicationToken }, property, null, null),
			)
			.map((property) => property.name);

	test("Test checks the shape only, and the always-visible hint says so (n8n drops a passing test's message)", async () => {
		const trigger = new Bitrix24TelephonyTrigger();
		const outbound = trigger.description.credentials?.find(
			(c) => c.name === 'bitrix24OutboundWebhookApi',
		);
		expect(outbound?.testedBy).toBe('bitrix24OutboundWebhookTokenTest');
		const field = credential.properties.find((p) => p.name === 'applicationToken');
		expect(field?.hint).toContain('Test checks only that this looks like an application token');
		expect(field?.hint).toContain('cannot confirm it from outside');
	});

	test.each([
		[OUTBOUND_TOKEN, []],
		[` ${OUTBOUND_TOKEN} `, []],
		['', []],
		['https://example.bitrix24.com/rest/1/abc/', ['tokenLooksLikeUrl']],
		['example.bitrix24.com/rest/1/abc', ['tokenLooksLikeUrl']],
		['abc', ['tokenHasWrongShape']],
		['has spaces in the middle of it ok', ['tokenHasWrongShape']],
	])('%j shows %j', (token, notices) => {
		expect(shown(token)).toEqual(notices);
	});
});

describe('the credential test of bitrix24OutboundWebhookApi', () => {
	const test_ = (applicationToken: unknown) =>
		testOutboundWebhookToken.call({} as never, {
			id: '1',
			name: 'x',
			type: 'bitrix24OutboundWebhookApi',
			data: { applicationToken } as never,
		});

	test('accepts a token of the shape Bitrix24 shows', async () => {
		const result = await test_(` ${OUTBOUND_TOKEN} `);
		expect(result.status).toBe('OK');
		expect(result.message).not.toContain(OUTBOUND_TOKEN);
	});

	test.each([
		['', 'Enter the application token'],
		['https://example.bitrix24.com/rest/1/abc/', 'This looks like a URL'],
		['abc', 'does not look like a Bitrix24 application token'],
		['has spaces in the middle of it ok', 'does not look like a Bitrix24 application token'],
	])('refuses %j', async (token, message) => {
		const result = await test_(token);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(message);
	});
});
