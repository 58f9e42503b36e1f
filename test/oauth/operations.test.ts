/**
 * Every operation the application-only rule covers (register, finish, external lines), with the
 * OAuth2 credential, against a portal in the documentation's mode: webhooks get WRONG_AUTH_TYPE.
 *
 * One file over 250 lines: every case shares the OAuth portal setup and its application.
 */
import { restMethods, webhookCredentials } from '../helpers/portal';
import { runNode, type NodeRunResult, type RunNodeOptions } from '../helpers/workflowRunner';
import { APP, oauthCredentials, useOAuthPortal } from './oauthHarness';
import { REGISTER_PARAMETERS } from '../helpers/fixtures';

const { portal, current } = useOAuthPortal();

const REGISTER = REGISTER_PARAMETERS;

async function viaOAuth(
	parameters: Record<string, unknown>,
	extra: Partial<RunNodeOptions> = {},
): Promise<NodeRunResult> {
	return await runNode({
		credentials: oauthCredentials(portal(), { tokens: current.tokens }),
		parameters: { authentication: 'oAuth2', ...parameters } as never,
		...extra,
	});
}

describe('OAuth2 credential, portal that refuses webhooks for telephony', () => {
	test('Register goes through as the application, the token in the `auth` body parameter', async () => {
		const result = await viaOAuth({
			...REGISTER,
			additionalFields: { externalCallId: 'oauth-reg-1' },
		});
		expect(result.status).toBe('success');
		expect(result.items[0].json.CALL_ID).toMatch(/^externalCall\.[0-9a-f]{32}\.\d+$/);
		const [request] = portal().requests;
		expect(request).toMatchObject({
			restMethod: 'telephony.externalcall.register',
			auth: 'oauth',
			status: 200,
			path: '/rest/telephony.externalcall.register.json',
		});
		expect(request.params.auth).toBe(current.tokens.access_token);
		// Registered by the application: REST_APP_ID is the app's id.
		const app = portal().state.apps.find((a) => a.clientId === APP.clientId);
		expect(
			portal().state.activeCalls.find((c) => c.callId === result.items[0].json.CALL_ID),
		).toMatchObject({ restAppId: app?.id });
	});

	test('Register then Finish over OAuth2', async () => {
		const registered = await viaOAuth({
			...REGISTER,
			additionalFields: { externalCallId: 'oauth-fin-1' },
		});
		const callId = String(registered.items[0].json.CALL_ID);
		const finished = await viaOAuth({
			resource: 'call',
			operation: 'finish',
			callId,
			userIdentification: 'extension',
			userPhoneInner: '101',
			duration: 42,
			statusCode: '200',
		});
		expect(finished.status).toBe('success');
		expect(finished.items[0].json).toMatchObject({ CALL_ID: callId, CALL_DURATION: 42 });
		expect(restMethods(portal())).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
		]);
		expect(portal().requests.every((r) => r.auth === 'oauth')).toBe(true);
	});

	test("Get Call History over OAuth2 lists the application's finished call", async () => {
		const registered = await viaOAuth({
			...REGISTER,
			additionalFields: { externalCallId: 'oauth-hist-1' },
		});
		const callId = String(registered.items[0].json.CALL_ID);
		await viaOAuth({
			resource: 'call',
			operation: 'finish',
			callId,
			userIdentification: 'extension',
			userPhoneInner: '101',
			duration: 7,
			statusCode: '200',
		});
		portal().clearRequests();
		const history = await viaOAuth({
			resource: 'call',
			operation: 'getCallHistory',
			filters: { externalCallId: 'oauth-hist-1' },
		});
		expect(history.status).toBe('success');
		const app = portal().state.apps.find((a) => a.clientId === APP.clientId);
		// The statistics name the application that finished the call.
		expect(history.items.map((i) => [i.json.CALL_ID, i.json.REST_APP_ID])).toEqual([
			[callId, String(app?.id)],
		]);
		expect(portal().requests[0]).toMatchObject({
			restMethod: 'voximplant.statistic.get',
			auth: 'oauth',
		});
		expect(portal().requests[0].params.auth).toBe(current.tokens.access_token);
	});

	test('several items travel in one batch, authorised once', async () => {
		const result = await viaOAuth(
			{
				...REGISTER,
				phoneNumber: '={{ $json.phone }}',
				additionalFields: { externalCallId: '={{ $json.ext }}' },
			},
			{
				items: [
					{ phone: '+4915112345678', ext: 'oauth-b-1' },
					{ phone: '+4930111222', ext: 'oauth-b-2' },
				],
			},
		);
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(restMethods(portal())).toEqual(['batch']);
		expect(portal().requests[0].params.auth).toBe(current.tokens.access_token);
	});

	test('external lines: create, update, get many, delete over OAuth2', async () => {
		const number = `+49301234${Math.floor(Math.random() * 1000)}`;
		const created = await viaOAuth({
			resource: 'line',
			operation: 'create',
			number,
			name: 'Support',
			crmAutoCreate: true,
		});
		expect(created.status).toBe('success');
		const updated = await viaOAuth({
			resource: 'line',
			operation: 'update',
			number,
			updateFields: { name: 'Support 2' },
		});
		expect(updated.status).toBe('success');
		const listed = await viaOAuth({ resource: 'line', operation: 'getAll', returnAll: true });
		expect(listed.status).toBe('success');
		expect(listed.items.map((i) => i.json)).toEqual(
			expect.arrayContaining([expect.objectContaining({ NUMBER: number, NAME: 'Support 2' })]),
		);
		const deleted = await viaOAuth({ resource: 'line', operation: 'delete', number });
		expect(deleted.status).toBe('success');
		expect(restMethods(portal())).toEqual([
			'telephony.externalline.add',
			'telephony.externalline.update',
			'telephony.externalline.get',
			'telephony.externalline.delete',
		]);
		expect(portal().requests.every((r) => r.auth === 'oauth' && r.status === 200)).toBe(true);
	});

	test('client_endpoint from the token answer is the REST base (the portal moved)', async () => {
		const result = await runNode({
			// The portal URL the user typed no longer answers; the token knows the current address.
			credentials: oauthCredentials(portal(), {
				tokens: current.tokens,
				portalUrl: 'http://127.0.0.1:9',
			}),
			parameters: {
				authentication: 'oAuth2',
				...REGISTER,
				additionalFields: { externalCallId: 'oauth-moved' },
			} as never,
		});
		expect(result.status).toBe('success');
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
	});

	test('without client_endpoint the REST base is <portal URL>/rest/', async () => {
		const withoutEndpoint = Object.fromEntries(
			Object.entries(current.tokens).filter(([key]) => key !== 'client_endpoint'),
		);
		const result = await runNode({
			credentials: oauthCredentials(portal(), {
				tokens: withoutEndpoint,
				portalUrl: `${portal().url}/some/page/`,
			}),
			parameters: {
				authentication: 'oAuth2',
				...REGISTER,
				additionalFields: { externalCallId: 'oauth-no-endpoint' },
			} as never,
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].path).toBe('/rest/telephony.externalcall.register.json');
	});

	test('a credential that was never connected says so', async () => {
		const result = await runNode({
			credentials: oauthCredentials(portal(), { tokens: {} }),
			parameters: { authentication: 'oAuth2', ...REGISTER } as never,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('The Bitrix24 OAuth2 credential is not connected');
		expect(result.error?.description).toContain('Connect my account');
		expect(portal().requests).toHaveLength(0);
	});
});

describe('Inbound webhook on a portal that refuses webhooks for telephony', () => {
	test.each([
		['telephony.externalcall.register', { ...REGISTER }],
		[
			'telephony.externalLine.add',
			{
				resource: 'line',
				operation: 'create',
				number: '+493000000',
				name: 'x',
				crmAutoCreate: true,
			},
		],
	])(
		'%s fails with guidance naming the method and the switch to OAuth2',
		async (method, parameters) => {
			const result = await runNode({
				credentials: webhookCredentials(portal()),
				parameters: parameters as never,
			});
			expect(result.status).toBe('error');
			expect(portal().requests[0].response).toMatchObject({ error: 'WRONG_AUTH_TYPE' });
			expect(result.error?.message).toContain(method);
			expect(result.error?.message).toContain('not from an inbound webhook');
			expect(result.error?.description).toContain(
				'choose or create a Bitrix24 OAuth2 API credential in the Credential field',
			);
			expect(result.error?.description).toContain('Local application');
			expect(result.error?.httpCode).toBe('403');
		},
	);

	test('methods outside the rule still work with the webhook', async () => {
		const result = await runNode({
			credentials: webhookCredentials(portal()),
			parameters: {
				resource: 'call',
				operation: 'searchCrmEntities',
				phoneNumber: '+4915112345678',
			} as never,
		});
		expect(result.status).toBe('success');
	});
});
