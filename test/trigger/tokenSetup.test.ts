/**
 * "Receive Application Token" (trigger 1.1, OAuth2): ONAPPINSTALL as Bitrix24 posts it to the
 * application's installation path (b24restdocs api-reference/common/events/on-app-install.md,
 * with the installing user's tokens as api-reference/events/safe-event-handlers.md shows),
 * accepted once on the test URL and shown in exactly one output field; everything else refused
 * without starting a run. The secret scan allows the token in that one field and nowhere else.
 */
import { NodeOperationError } from 'n8n-workflow';

import { resetTokenSetup } from '../../nodes/Bitrix24TelephonyTrigger/tokenSetup';
import { assertNoSecretLeak, withoutIntendedSecret } from '../helpers/secretScan';
import { restMethods } from '../helpers/portal';
import { TRIGGER_NAME } from '../helpers/triggerWorkflowGraph';
import {
	APP,
	connectApp,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleTree,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

beforeEach(() => resetTokenSetup());

function setUp(credentialToken = '') {
	const { tokens, credentials } = connectApp(portal(), credentialToken);
	const workflow = triggerWorkflow(n8n(), {
		typeVersion: 1.1,
		parameters: { authentication: 'oAuth2', applicationTokenSetup: true },
		credentials,
	});
	return { workflow, tokens, credentials };
}

/** ONAPPINSTALL with the installing user's auth block and the application token. */
function installBody(overrides: Record<string, unknown> = {}, event = 'ONAPPINSTALL'): string {
	const tokens = portal().oauth.issueTokens(APP.clientId);
	return portal().events.buildBody({
		event,
		data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
		auth: { ...tokens, application_token: APP.applicationToken, ...overrides },
	});
}

/** The output item's `applicationToken`: in the run's data and in what the node returned. */
const TOKEN_OUTPUT = {
	paths: [
		[
			'runs',
			0,
			'resultData',
			'runData',
			TRIGGER_NAME,
			0,
			'data',
			'main',
			0,
			0,
			'json',
			'applicationToken',
		],
		['results', 0, 'workflowData', 0, 0, 'json', 'applicationToken'],
	],
	value: APP.applicationToken,
};

describe('Receive Application Token', () => {
	test('"Listen for test event" binds nothing; ONAPPINSTALL from the portal shows the token once', async () => {
		const { workflow, credentials } = setUp();
		portal().clearRequests();
		await workflow.activate(true, 'manual');
		expect(restMethods(portal())).toEqual([]);

		const answer = await n8n().post(workflow.webhookUrl(true), installBody());
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ status: 'received' });
		const items = await workflow.triggerItems();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'ONAPPINSTALL',
			applicationToken: APP.applicationToken,
			next: expect.stringContaining('Application Token'),
			data: { INSTALLED: 'Y' },
			auth: { member_id: portal().state.memberId },
		});
		expect(items[0].json.auth).not.toHaveProperty('access_token');
		expect(items[0].json.auth).not.toHaveProperty('refresh_token');
		expect(items[0].json.auth).not.toHaveProperty('application_token');

		// The token is allowed in that one field; any other appearance (and every other secret of
		// the portal or the credential: access and refresh tokens, the client secret) fails.
		const text = withoutIntendedSecret(await visibleTree(workflow), TOKEN_OUTPUT);
		assertNoSecretLeak(text, [credentials.bitrix24OAuth2Api], 'token setup run');
		expect(text).not.toContain(APP.applicationToken);

		// A second ONAPPINSTALL (a forger racing the real one) is refused and starts nothing.
		const again = await n8n().post(workflow.webhookUrl(true), installBody());
		expect(again.status).toBe(500);
		expect(workflow.calls.at(-1)?.error?.message).toBe(
			'An application token was already received here in the last ten minutes',
		);
		expect(await workflow.runs()).toHaveLength(1);
	});

	test('the scan still fails when the token leaks anywhere besides the intended field', async () => {
		const { workflow, credentials } = setUp();
		await workflow.activate(true, 'manual');
		await n8n().post(workflow.webhookUrl(true), installBody());
		const tree = await visibleTree(workflow, [`log line with ${APP.applicationToken}`]);
		const text = withoutIntendedSecret(tree, TOKEN_OUTPUT);
		expect(() => assertNoSecretLeak(text, [credentials.bitrix24OAuth2Api], 'test')).toThrow(
			/Secret leak in test/,
		);
		expect(() =>
			withoutIntendedSecret(tree, {
				paths: [['runs', 0, 'elsewhere']],
				value: APP.applicationToken,
			}),
		).toThrow(/not at/);
	});

	test.each([
		[
			'another portal',
			{ domain: 'evil.bitrix24.com', client_endpoint: 'https://evil.bitrix24.com/rest/' },
			403,
		],
		['another member ID', { member_id: 'a223c6b9410f85df78e9377d6c4f7213' }, 403],
		['no member ID', { member_id: '' }, 403],
		['no application token', { application_token: '' }, 400],
	])('forged: %s → refused, nothing started', async (_name, overrides, status) => {
		const { workflow } = setUp();
		await workflow.activate(true, 'manual');
		const answer = await n8n().post(workflow.webhookUrl(true), installBody(overrides));
		expect(answer.status).toBe(status);
		expect(answer.body).not.toContain(APP.applicationToken);
		expect(await workflow.runs()).toHaveLength(0);
	});

	test('only ONAPPINSTALL is accepted in setup mode', async () => {
		const { workflow } = setUp();
		await workflow.activate(true, 'manual');
		const answer = await n8n().post(
			workflow.webhookUrl(true),
			installBody({}, 'ONEXTERNALCALLSTART'),
		);
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.body)).toMatchObject({ error: 'setup_accepts_only_onappinstall' });
		expect(await workflow.runs()).toHaveLength(0);
	});

	test('the production URL never accepts it, and activating with setup on is refused', async () => {
		const { workflow } = setUp();
		const answer = await n8n().post(workflow.webhookUrl(), installBody());
		expect(answer.status).toBe(403);
		expect(await workflow.runs()).toHaveLength(0);
		const failure = await workflow.activate().catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toBe(
			'Turn off "Receive Application Token" before activating the workflow',
		);
		expect(portal().state.eventHandlers).toEqual([]);
	});

	test('a credential that already has a token, or is not connected, says so in the editor', async () => {
		const { workflow } = setUp(APP.applicationToken);
		await workflow.activate(true, 'manual');
		expect((await n8n().post(workflow.webhookUrl(true), installBody())).status).toBe(500);
		expect(workflow.calls.at(-1)?.error?.message).toMatch(/already has an Application Token/);

		const { credentials } = connectApp(portal(), '');
		delete credentials.bitrix24OAuth2Api.oauthTokenData;
		const unconnected = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { authentication: 'oAuth2', applicationTokenSetup: true },
			credentials,
		});
		expect((await n8n().post(unconnected.webhookUrl(true), installBody())).status).toBe(500);
		expect(unconnected.calls.at(-1)?.error?.message).toMatch(
			/Connect the Bitrix24 OAuth2 credential/,
		);
		expect(await workflow.runs()).toHaveLength(0);
		expect(await unconnected.runs()).toHaveLength(0);
	});

	test('with the token copied into the credential and setup off, events are authenticated by it', async () => {
		const { credentials } = connectApp(portal(), APP.applicationToken);
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { authentication: 'oAuth2', applicationTokenSetup: false },
			credentials,
		});
		await workflow.activate();
		const { deliveries } = await portal().events.clickToCall({
			userId: 1,
			phoneNumber: '+4915112345678',
			clientId: APP.clientId,
		});
		expect(deliveries.map((d) => d.status)).toEqual([200]);
		expect(await workflow.triggerItems()).toHaveLength(1);
	});
});
