/**
 * Trigger version 1.1 beside version 1: the new defaults (OAuth2 application, event.bind), the
 * typed `call` fields beside the raw event, the JSON body every accepted event is answered
 * with, and version 1 left as saved workflows know it.
 */
import { NodeHelpers, type INodeParameters } from 'n8n-workflow';

import { restMethods } from '../helpers/portal';
import { triggerNode } from '../helpers/triggerWorkflowGraph';
import {
	APP,
	connectApp,
	expectNoSecrets,
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

/** The parameters n8n stores for a node just added to the canvas at `typeVersion`. */
function defaultsOf(typeVersion: number): INodeParameters {
	const node = {
		id: 'n',
		name: 'Trigger',
		type: 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTrigger',
		typeVersion,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	return NodeHelpers.getNodeParameters(
		triggerNode.description.properties,
		{},
		true,
		false,
		node,
		triggerNode.description,
	) as INodeParameters;
}

describe('versions and defaults', () => {
	test('a new node is version 1.1; version 1 stays available for saved workflows', () => {
		expect(triggerNode.description.version).toEqual([1, 1.1]);
		expect(triggerNode.description.defaultVersion).toBe(1.1);
	});

	test('version 1.1 defaults to the OAuth2 application; version 1 keeps Outbound Webhook', () => {
		expect(defaultsOf(1.1)).toMatchObject({
			authentication: 'oAuth2',
			applicationTokenSetup: false,
			events: ['ONEXTERNALCALLSTART'],
			fetchCallRecord: false,
		});
		const v1 = defaultsOf(1);
		expect(v1).toMatchObject({
			authentication: 'outboundWebhook',
			events: ['ONEXTERNALCALLSTART'],
		});
		expect(v1).not.toHaveProperty('applicationTokenSetup');
	});

	test('version 1.1 added with its defaults subscribes itself with event.bind', async () => {
		const { credentials } = connectApp(portal());
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: {},
			credentials,
		});
		portal().clearRequests();
		await workflow.activate();
		expect(restMethods(portal())).toEqual(['event.get', 'event.get', 'event.bind']);
		expect(portal().state.eventHandlers.map((h) => [h.event, h.handler, h.kind])).toEqual([
			['ONEXTERNALCALLSTART', workflow.webhookUrl(), 'app'],
		]);
	});

	test('version 1.1 offers the call events, first; version 1 offers what it always did', () => {
		const events = triggerNode.description.properties.filter((p) => p.name === 'events');
		// n8n's nodes panel builds a trigger's actions from the first property displayed as "Events",
		// whatever its version: the newest version's comes first.
		expect(events.map((p) => p.displayOptions?.show?.['@version'])).toEqual([
			[{ _cnd: { gte: 1.1 } }],
			[1],
		]);
		expect(events.map((p) => (p.options ?? []).map((o) => ('value' in o ? o.value : '')))).toEqual([
			[
				'ONEXTERNALCALLSTART',
				'ONEXTERNALCALLBACKSTART',
				'ONVOXIMPLANTCALLEND',
				'ONVOXIMPLANTCALLINIT',
			],
			['ONEXTERNALCALLSTART', 'ONEXTERNALCALLBACKSTART'],
		]);
	});

	// Not tied to the events: a credential depends on Fetch Call Record, and n8n's editor would hide
	// any field named in its `show` (test/nodes/editorAuthField.test.ts).
	test('Fetch Call Record shows in version 1.1 outside token setup; the webhook credential with it', () => {
		const { description } = triggerNode;
		const node = { typeVersion: 1.1 } as never;
		const fetch = description.properties.find((p) => p.name === 'fetchCallRecord')!;
		const shown = (applicationTokenSetup: boolean, typeVersion = 1.1) =>
			NodeHelpers.displayParameter(
				{ authentication: 'oAuth2', applicationTokenSetup, events: ['ONEXTERNALCALLSTART'] },
				fetch,
				{ typeVersion } as never,
				description,
			);
		expect(shown(false)).toBe(true);
		expect(shown(true)).toBe(false);
		expect(shown(false, 1)).toBe(false);
		const webhookCredential = description.credentials!.find(
			(c) => c.name === 'bitrix24WebhookApi',
		)!;
		const needed = (authentication: string, fetchCallRecord: boolean) =>
			NodeHelpers.displayParameter(
				{ authentication, events: ['ONVOXIMPLANTCALLEND'], fetchCallRecord },
				webhookCredential,
				node,
				description,
			);
		expect(needed('outboundWebhook', true)).toBe(true);
		expect(needed('outboundWebhook', false)).toBe(false);
		expect(needed('oAuth2', true)).toBe(false);
	});

	test('triggers are not AI tools; the builder hint names what goes with the trigger', () => {
		expect(triggerNode.description.usableAsTool).toBeUndefined();
		expect(triggerNode.description.builderHint?.message).toMatch(/Finish/);
		expect(triggerNode.description.builderHint?.relatedNodes?.map((n) => n.nodeType)).toContain(
			'n8n-nodes-bitrix24-telephony.bitrix24Telephony',
		);
	});
});

describe('output: typed call fields beside the raw event', () => {
	test('version 1.1 adds `call` with numbers and flags; `data` stays as Bitrix24 sent it', async () => {
		const { credentials, tokens } = connectApp(portal());
		const workflow = triggerWorkflow(n8n(), { typeVersion: 1.1, parameters: {}, credentials });
		await workflow.activate();
		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 3,
			phoneNumber: '+12025550123',
			clientId: APP.clientId,
			crmEntityType: 'CONTACT',
			crmEntityId: 798,
		});
		expect(deliveries.map((d) => [d.status, JSON.parse(d.body)])).toEqual([
			[200, { status: 'accepted', event: 'ONEXTERNALCALLSTART' }],
		]);
		const [item] = await workflow.triggerItems();
		expect(item.json.data).toMatchObject({
			CALL_ID: callId,
			USER_ID: '3',
			IS_MOBILE: '0',
			CALL_LIST_ID: '0',
			CRM_ENTITY_ID: '798',
		});
		expect(item.json.call).toMatchObject({
			CALL_ID: callId,
			USER_ID: 3,
			IS_MOBILE: false,
			CALL_LIST_ID: 0,
			CRM_ENTITY_TYPE: 'CONTACT',
			CRM_ENTITY_ID: 798,
			PHONE_NUMBER: '+12025550123',
			LINE_NUMBER: '',
		});
		expect(item.json.auth).not.toHaveProperty('access_token');
		expectNoSecrets(await visibleText(workflow), [
			APP.applicationToken,
			tokens.access_token,
			tokens.refresh_token,
			APP.clientSecret,
		]);
	});

	test('version 1 output is unchanged: no `call`, values as strings', async () => {
		const workflow = triggerWorkflow(n8n(), {
			parameters: { authentication: 'outboundWebhook', events: ['ONEXTERNALCALLSTART'] },
			credentials: outboundCredentials(),
		});
		portal().events.addOutboundWebhook({
			url: workflow.webhookUrl(),
			events: ['ONEXTERNALCALLSTART'],
			applicationToken: OUTBOUND_TOKEN,
		});
		await portal().events.clickToCall({ userId: 2, phoneNumber: '+4915112345678', isMobile: true });
		const [item] = await workflow.triggerItems();
		expect(Object.keys(item.json).sort()).toEqual([
			'auth',
			'data',
			'event',
			'event_handler_id',
			'ts',
		]);
		expect(item.json.data).toMatchObject({ IS_MOBILE: '1', USER_ID: '2' });
	});
});

describe('the answer to Bitrix24', () => {
	test('the test URL answers an accepted event with a JSON body, not n8n\'s literal "firstEntryJson"', async () => {
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { authentication: 'outboundWebhook', events: ['ONEXTERNALCALLBACKSTART'] },
			credentials: outboundCredentials(),
		});
		await workflow.activate(true, 'manual');
		const body = portal().events.buildBody({
			event: 'ONEXTERNALCALLBACKSTART',
			data: { PHONE_NUMBER: '+4915112345678', TEXT: 'Call me', LINE_NUMBER: '' },
			auth: {
				domain: 'x.bitrix24.com',
				member_id: portal().state.memberId,
				application_token: OUTBOUND_TOKEN,
			},
		});
		const answer = await n8n().post(workflow.webhookUrl(true), body);
		expect(answer.status).toBe(200);
		expect(answer.body).not.toContain('firstEntryJson');
		expect(JSON.parse(answer.body)).toEqual({
			status: 'accepted',
			event: 'ONEXTERNALCALLBACKSTART',
		});
		expect(await workflow.triggerItems()).toHaveLength(1);
	});

	test("an event that starts nothing is answered with the node's reason; no responseData is declared", async () => {
		// The webhook declares no responseData, so n8n (and executeWebhook.ts, which reproduces it)
		// would answer a started run with the literal 'firstEntryJson': only the node's own answer
		// keeps it away, as the test above shows.
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { authentication: 'outboundWebhook', events: ['ONEXTERNALCALLSTART'] },
			credentials: outboundCredentials(),
		});
		const body = portal().events.buildBody({
			event: 'ONEXTERNALCALLBACKSTART',
			data: { PHONE_NUMBER: '+4915112345678' },
			auth: { application_token: OUTBOUND_TOKEN },
		});
		const answer = await n8n().post(workflow.webhookUrl(), body);
		expect(JSON.parse(answer.body)).toEqual({
			status: 'ignored',
			reason: 'ONEXTERNALCALLBACKSTART is not one of the events selected in the trigger',
		});
		expect(triggerNode.description.webhooks?.[0].responseData).toBeUndefined();
	});
});
