import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });

describe('sandbox routing and authentication', () => {
	let sandbox: Sandbox;

	beforeAll(async () => {
		sandbox = await startSandbox({ webhook: { code: 'routingcode' } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.configure({ authErrorStatus: 401, requireHttps: false });
		sandbox.clearRequests();
	});

	it('serves webhook calls with or without .json and trailing slash, method names in any case', async () => {
		for (const path of ['profile', 'profile.json', 'profile/', 'PROFILE.json']) {
			const response = await http.get(`${sandbox.webhookUrl}${path}`);
			expect(response.status).toBe(200);
			expect(response.data.result).toMatchObject({
				ID: '1',
				ADMIN: true,
				NAME: 'Anna',
				LAST_NAME: 'Schmidt',
			});
		}
	});

	it('adds a time block to successes and none to errors', async () => {
		const ok = await http.post(`${sandbox.webhookUrl}profile.json`);
		expect(Object.keys(ok.data.time)).toEqual([
			'start',
			'finish',
			'duration',
			'processing',
			'date_start',
			'date_finish',
		]);
		expect(ok.data.time.date_start).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
		const error = await http.post(`${sandbox.webhookUrl}nope.method`);
		expect(error.data.time).toBeUndefined();
	});

	it('answers unknown methods with 404 before checking credentials', async () => {
		const response = await http.post(
			`${sandbox.url}/rest/1/wrong-code/telephony.externalcall.nothing`,
		);
		expect(response.status).toBe(404);
		expect(response.data).toEqual({
			error: 'ERROR_METHOD_NOT_FOUND',
			error_description: 'Method not found!',
		});
	});

	it('treats a webhook path without method as an unknown method', async () => {
		const response = await http.post(`${sandbox.url}/rest/1/routingcode/`);
		expect(response.status).toBe(404);
		expect(response.data.error).toBe('ERROR_METHOD_NOT_FOUND');
	});

	it('answers non-API paths with an HTML page', async () => {
		const response = await http.get(`${sandbox.url}/crm/deal/`);
		expect(response.status).toBe(404);
		expect(response.headers['content-type']).toContain('text/html');
	});

	it('rejects a wrong webhook code or user with INVALID_CREDENTIALS (status configurable)', async () => {
		const wrongCode = await http.post(`${sandbox.url}/rest/1/bad/profile`);
		expect(wrongCode.status).toBe(401);
		expect(wrongCode.data).toEqual({
			error: 'INVALID_CREDENTIALS',
			error_description: 'Invalid request credentials',
		});
		const wrongUser = await http.post(`${sandbox.url}/rest/2/routingcode/profile`);
		expect(wrongUser.data.error).toBe('INVALID_CREDENTIALS');

		sandbox.configure({ authErrorStatus: 403 });
		expect((await http.post(`${sandbox.url}/rest/1/bad/profile`)).status).toBe(403);
	});

	it('answers NO_AUTH_FOUND without any credential', async () => {
		const response = await http.post(`${sandbox.url}/rest/profile.json`);
		expect(response.status).toBe(401);
		expect(response.data).toEqual({
			error: 'NO_AUTH_FOUND',
			error_description: 'Wrong authorization data',
		});
	});

	it('checks the webhook scope per method', async () => {
		const crmOnly = sandbox.addWebhook({ userId: 2, code: 'crmonly', scopes: ['crm'] });
		const denied = await http.post(`${crmOnly}telephony.externalcall.searchcrmentities`, {
			PHONE_NUMBER: '+4915112345678',
		});
		expect(denied.status).toBe(401);
		expect(denied.data).toEqual({
			error: 'insufficient_scope',
			error_description:
				'The request requires higher privileges than provided by the webhook token',
		});
		expect((await http.post(`${crmOnly}crm.status.list`)).status).toBe(200);
		expect((await http.post(`${crmOnly}profile`)).status).toBe(200);
		expect((await http.post(`${crmOnly}user.get`)).data.error).toBe('insufficient_scope');
		const basic = sandbox.addWebhook({ userId: 2, code: 'userbasic', scopes: ['user_basic'] });
		expect((await http.post(`${basic}user.get`)).status).toBe(200);
	});

	it('refuses a webhook whose owner was fired', async () => {
		const fired = sandbox.addWebhook({ userId: 4, code: 'firedowner' });
		const response = await http.post(`${fired}profile`);
		expect(response.status).toBe(401);
		expect(response.data).toEqual({
			error: 'authorization_error',
			error_description: 'Unable to authorize user',
		});
	});

	it('can demand HTTPS for webhooks', async () => {
		sandbox.configure({ requireHttps: true });
		const response = await http.post(`${sandbox.webhookUrl}profile`);
		expect(response.data).toEqual({
			error: 'INVALID_REQUEST',
			error_description: 'Https required.',
		});
	});

	it('logs every request with the webhook code masked', async () => {
		await http.post(`${sandbox.webhookUrl}Telephony.ExternalCall.Show.json`, { CALL_ID: 'x' });
		await http.get(`${sandbox.url}/rest/profile?auth=garbage`);
		const [show, oauth] = sandbox.requests;
		expect(show).toMatchObject({
			httpMethod: 'POST',
			path: '/rest/1/***/Telephony.ExternalCall.Show.json',
			restMethod: 'telephony.externalcall.show',
			params: { CALL_ID: 'x' },
			auth: 'webhook',
			status: 200,
			response: { result: false },
		});
		expect(JSON.stringify(show)).not.toContain('routingcode');
		expect(oauth).toMatchObject({
			restMethod: 'profile',
			auth: 'oauth',
			status: 401,
			response: { error: 'invalid_token' },
		});
	});
});
