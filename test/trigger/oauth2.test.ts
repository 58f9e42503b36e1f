/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * OAuth2 mode: the trigger subscribes itself (event.get / event.bind on activation, event.unbind
 * on deactivation, through the action node's transport, in n8n-core's HookContext), and the
 * events Bitrix24 then sends to the application's handler carry the full app auth block.
 *
 * One file over 250 lines: activation, delivery and deactivation are one subscription's life.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { restMethods } from '../helpers/portal';
import {
	APP,
	connectApp,
	expectNoSecrets,
	oauthCredential,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

function setUp(
	events: string[] = ['ONEXTERNALCALLSTART'],
	applicationToken: string | undefined = APP.applicationToken,
) {
	const { tokens, credentials } = connectApp(portal(), applicationToken);
	const workflow = triggerWorkflow(n8n(), {
		parameters: { authentication: 'oAuth2', events },
		credentials,
	});
	return { workflow, tokens };
}

const handlersOf = (url: string) =>
	portal()
		.state.eventHandlers.filter((handler) => handler.handler === url)
		.map((handler) => handler.event)
		.sort();

describe('OAuth2: subscription lifecycle', () => {
	test('activation binds the selected events to the production URL; deactivation unbinds them', async () => {
		const { workflow } = setUp(['ONEXTERNALCALLSTART', 'ONEXTERNALCALLBACKSTART']);
		const url = workflow.webhookUrl();
		portal().clearRequests();

		expect(await workflow.activate()).toEqual({ existed: false });
		expect(restMethods(portal())).toEqual(['event.get', 'event.get', 'event.bind', 'event.bind']);
		const binds = portal().requests.filter((request) => request.restMethod === 'event.bind');
		expect(binds.map((request) => request.params)).toEqual([
			expect.objectContaining({ event: 'ONEXTERNALCALLSTART', handler: url, event_type: 'online' }),
			expect.objectContaining({
				event: 'ONEXTERNALCALLBACKSTART',
				handler: url,
				event_type: 'online',
			}),
		]);
		expect(binds.every((request) => request.auth === 'oauth' && request.status === 200)).toBe(true);
		expect(handlersOf(url)).toEqual(['ONEXTERNALCALLBACKSTART', 'ONEXTERNALCALLSTART']);
		expect(
			portal().state.eventHandlers.every(
				(handler) => handler.kind === 'app' && handler.appId === portal().state.apps[0].id,
			),
		).toBe(true);

		// n8n activates again after a restart: event.get says it exists, nothing is bound twice.
		portal().clearRequests();
		expect(await workflow.activate(false, 'init')).toEqual({ existed: true });
		expect(restMethods(portal())).toEqual(['event.get']);

		portal().clearRequests();
		expect(await workflow.deactivate()).toBe(true);
		expect(restMethods(portal())).toEqual(['event.get', 'event.unbind', 'event.unbind']);
		expect(
			portal()
				.requests.filter((r) => r.restMethod === 'event.unbind')
				.map((r) => r.response),
		).toEqual([
			expect.objectContaining({ result: { count: 1 } }),
			expect.objectContaining({ result: { count: 1 } }),
		]);
		expect(handlersOf(url)).toEqual([]);
	});

	test('changing the selected events re-binds only the difference', async () => {
		const { workflow } = setUp(['ONEXTERNALCALLSTART']);
		const url = workflow.webhookUrl();
		await workflow.activate();
		expect(handlersOf(url)).toEqual(['ONEXTERNALCALLSTART']);

		workflow.setParameter('events', ['ONEXTERNALCALLBACKSTART']);
		portal().clearRequests();
		expect(await workflow.activate(false, 'update')).toEqual({ existed: false });
		expect(restMethods(portal())).toEqual(['event.get', 'event.get', 'event.bind', 'event.unbind']);
		expect(handlersOf(url)).toEqual(['ONEXTERNALCALLBACKSTART']);
	});

	test('"Listen for test event" binds the test URL, and removes it afterwards', async () => {
		const { workflow } = setUp();
		await workflow.activate(true, 'manual');
		expect(handlersOf(workflow.webhookUrl(true))).toEqual(['ONEXTERNALCALLSTART']);
		expect(handlersOf(workflow.webhookUrl())).toEqual([]);
		await workflow.deactivate(true);
		expect(portal().state.eventHandlers).toEqual([]);
	});

	test('other handlers of the application are left alone', async () => {
		const { workflow, tokens } = setUp();
		await fetch(`${portal().url}/rest/event.bind.json`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({
				auth: tokens.access_token,
				event: 'ONEXTERNALCALLSTART',
				handler: 'https://pbx.example.com/bitrix',
			}),
		});
		await workflow.activate();
		await workflow.deactivate();
		expect(portal().state.eventHandlers.map((handler) => handler.handler)).toEqual([
			'https://pbx.example.com/bitrix',
		]);
	});

	test('a Bitrix24 refusal fails the activation with a NodeApiError, without secrets', async () => {
		// An application without the telephony scope cannot bind telephony events.
		portal().oauth.registerApp({ ...APP, scopes: ['crm', 'user'] });
		const tokens = portal().oauth.issueTokens(APP.clientId);
		const workflow = triggerWorkflow(n8n(), {
			parameters: { authentication: 'oAuth2', events: ['ONEXTERNALCALLSTART'] },
			credentials: { bitrix24OAuth2Api: oauthCredential(portal(), tokens) },
		});
		const failure = await workflow.activate().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeApiError);
		const error = failure as NodeApiError;
		expect(error.errorResponse).toMatchObject({
			error: 'ERROR_EVENT_NOT_FOUND',
			method: 'event.bind',
		});
		expect(error.message).toBeTruthy();
		const text = JSON.stringify({
			message: error.message,
			description: error.description,
			context: error.context,
			response: error.errorResponse,
			stack: error.stack,
		});
		expectNoSecrets(text, [
			tokens.access_token,
			tokens.refresh_token,
			APP.clientSecret,
			APP.applicationToken,
		]);
		expect(portal().state.eventHandlers).toEqual([]);
	});
});

describe('OAuth2: events', () => {
	test("click-to-call on the application's line reaches the trigger; tokens are removed", async () => {
		const { workflow, tokens } = setUp();
		await workflow.activate();
		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 3,
			phoneNumber: '+12025550123',
			clientId: APP.clientId,
			crmEntityType: 'CONTACT',
			crmEntityId: 798,
		});
		expect(deliveries.map((delivery) => [delivery.url, delivery.status])).toEqual([
			[workflow.webhookUrl(), 200],
		]);
		const eventAccessToken = new URLSearchParams(deliveries[0].payload).get(
			'auth[access_token]',
		) as string;
		expect(eventAccessToken).toMatch(/^[0-9a-f]{48}$/);

		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONEXTERNALCALLSTART',
			data: {
				CALL_ID: callId,
				USER_ID: '3',
				PHONE_NUMBER: '+12025550123',
				LINE_NUMBER: '',
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: '798',
			},
			ts: expect.stringMatching(/^\d+$/),
		});
		expect(item.json.auth).toEqual({
			expires: expect.stringMatching(/^\d+$/),
			expires_in: '3600',
			scope: 'telephony,crm,user',
			domain: portal().url.replace('http://', ''),
			server_endpoint: `${portal().url}/rest/`,
			status: 'L',
			client_endpoint: `${portal().url}/rest/`,
			member_id: portal().state.memberId,
			user_id: '3',
		});
		expectNoSecrets(await visibleText(workflow), [
			eventAccessToken,
			APP.applicationToken,
			tokens.access_token,
			tokens.refresh_token,
			APP.clientSecret,
		]);
	});

	test('callback request through the application', async () => {
		const { workflow } = setUp(['ONEXTERNALCALLBACKSTART']);
		await workflow.activate();
		const { deliveries } = await portal().events.callbackRequest({
			phoneNumber: '+4915112345678',
			text: 'Please call',
			clientId: APP.clientId,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONEXTERNALCALLBACKSTART',
			data: { PHONE_NUMBER: '+4915112345678', TEXT: 'Please call' },
		});
		expect(item.json.auth).not.toHaveProperty('access_token');
	});

	test("an event with another application's token gets 401", async () => {
		const { workflow } = setUp();
		await workflow.activate();
		const forged = portal().events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			data: { CALL_ID: 'externalCall.f.1' },
			auth: { access_token: 'x', application_token: 'another-apps-token-000000000000' },
		});
		expect((await n8n().post(workflow.webhookUrl(), forged)).status).toBe(401);
		expect(await workflow.runs()).toHaveLength(0);
	});

	test('without an Application Token in the credential every event is refused; the test URL says why', async () => {
		const { workflow } = setUp(['ONEXTERNALCALLSTART'], '');
		await workflow.activate();
		const { deliveries } = await portal().events.clickToCall({
			userId: 1,
			phoneNumber: '+4915112345678',
			clientId: APP.clientId,
		});
		expect(deliveries[0].status).toBe(401);
		expect(JSON.parse(deliveries[0].body)).toMatchObject({
			error: 'application_token_not_configured',
			message: expect.stringContaining('Application Token'),
		});
		expect(await workflow.runs()).toHaveLength(0);

		await workflow.activate(true, 'manual');
		const test = await portal().events.clickToCall({
			userId: 1,
			phoneNumber: '+4915112345679',
			clientId: APP.clientId,
		});
		const toTestUrl = test.deliveries.find(
			(delivery) => delivery.url === workflow.webhookUrl(true),
		);
		expect(toTestUrl?.status).toBe(500);
		const error = workflow.calls.at(-1)?.error;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error?.message).toBe(
			'The Bitrix24 OAuth2 credential has no Application Token, so events cannot be told from forgeries and are all refused',
		);
		expect(await workflow.runs()).toHaveLength(0);
		expectNoSecrets(await visibleText(workflow), [APP.applicationToken]);
	});
});
