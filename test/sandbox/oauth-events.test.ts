/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The sandbox's OAuth server and event delivery. One file over 250 lines: the events need the
 * application that the OAuth cases install.
 */
import axios from 'axios';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Sandbox, startSandbox } from '../../sandbox';
import { parseStr } from '../../sandbox/php-query';

const client = axios.create({ validateStatus: () => true, maxRedirects: 0 });
const APP = {
	clientId: 'local.sandbox01',
	clientSecret: 'secret01',
	applicationToken: 'apptoken0123456789abcdef01234567',
};

interface Received {
	path: string;
	contentType: string | undefined;
	body: string;
}

describe('OAuth, events and redirects', () => {
	let sandbox: Sandbox;
	let clock = Date.parse('2026-03-10T10:00:00Z');
	let receiver: http.Server;
	let receiverUrl: string;
	let received: Received[] = [];

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				received.push({
					path: req.url ?? '',
					contentType: req.headers['content-type'],
					body: Buffer.concat(chunks).toString(),
				});
				res.writeHead(200).end('ok');
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));
	beforeEach(async () => {
		clock = Date.parse('2026-03-10T10:00:00Z');
		received = [];
		sandbox = await startSandbox({ now: () => clock });
		sandbox.oauth.registerApp({ ...APP, scopes: ['telephony', 'crm', 'user'] });
	});
	afterEach(() => sandbox.close());

	const rest = (method: string, token: string, params: unknown = {}) =>
		client.post(`${sandbox.url}/rest/${method}`, { auth: token, ...(params as object) });

	describe('OAuth server', () => {
		it('runs the authorization-code flow: authorize redirects, the code is exchanged once', async () => {
			const authorize = await client.get(
				`${sandbox.oauth.authorizeUrl}?client_id=${APP.clientId}&state=st4te&redirect_uri=${encodeURIComponent('http://localhost:5678/cb?x=1')}`,
			);
			expect(authorize.status).toBe(302);
			const location = new URL(authorize.headers.location as string);
			expect(location.origin + location.pathname).toBe('http://localhost:5678/cb');
			expect(Object.fromEntries(location.searchParams)).toEqual({
				x: '1',
				code: expect.any(String),
				state: 'st4te',
				domain: sandbox.url.replace('http://', ''),
				member_id: sandbox.state.memberId,
				scope: 'telephony,crm,user',
				server_domain: sandbox.url.replace('http://', ''),
			});
			const code = location.searchParams.get('code');
			const exchange = () =>
				client.get(
					`${sandbox.oauth.tokenUrl}?grant_type=authorization_code&client_id=${APP.clientId}&client_secret=${APP.clientSecret}&code=${code}`,
				);
			const tokens = await exchange();
			expect(tokens.status).toBe(200);
			expect(tokens.data).toEqual({
				access_token: expect.any(String),
				expires: clock / 1000 + 3600,
				expires_in: 3600,
				scope: 'telephony,crm,user',
				domain: sandbox.url.replace('http://', ''),
				server_endpoint: `${sandbox.url}/rest/`,
				status: 'L',
				client_endpoint: `${sandbox.url}/rest/`,
				member_id: sandbox.state.memberId,
				user_id: 1,
				refresh_token: expect.any(String),
			});
			expect((await exchange()).data.error).toBe('invalid_grant');
		});

		it('expires codes after 30 s and checks client credentials', async () => {
			const location = new URL(
				(
					await client.get(
						`${sandbox.oauth.authorizeUrl}?client_id=${APP.clientId}&redirect_uri=http%3A%2F%2Flocalhost%2Fcb`,
					)
				).headers.location as string,
			);
			const form = (secret: string) =>
				new URLSearchParams({
					grant_type: 'authorization_code',
					client_id: APP.clientId,
					client_secret: secret,
					code: location.searchParams.get('code') ?? '',
				});
			const wrongSecret = await client.post(sandbox.oauth.tokenUrl, form('nope'));
			expect(wrongSecret.status).toBe(401);
			expect(wrongSecret.data.error).toBe('invalid_client');
			clock += 31_000;
			expect((await client.post(sandbox.oauth.tokenUrl, form(APP.clientSecret))).data.error).toBe(
				'invalid_grant',
			);
		});

		it('expires access tokens after 3600 s and rotates refresh tokens', async () => {
			const tokens = sandbox.oauth.issueTokens(APP.clientId);
			expect((await rest('profile', tokens.access_token)).status).toBe(200);
			clock += 3600_000;
			const expired = await rest('profile', tokens.access_token);
			expect(expired.status).toBe(401);
			expect(expired.data).toEqual({
				error: 'expired_token',
				error_description: 'The access token provided has expired.',
			});

			const refresh = (token: string) =>
				client.post(
					sandbox.oauth.tokenUrl,
					new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
					{
						auth: { username: APP.clientId, password: APP.clientSecret },
					},
				);
			const rotated = await refresh(tokens.refresh_token);
			expect(rotated.status).toBe(200);
			expect(rotated.data.refresh_token).not.toBe(tokens.refresh_token);
			expect((await refresh(tokens.refresh_token)).data).toEqual({
				error: 'invalid_grant',
				error_description: 'Invalid refresh token',
			});
			expect((await rest('profile', rotated.data.access_token)).status).toBe(200);

			sandbox.oauth.expireAccessTokens();
			expect((await rest('profile', rotated.data.access_token)).data.error).toBe('expired_token');
			sandbox.oauth.revoke(rotated.data.refresh_token);
			expect((await refresh(rotated.data.refresh_token)).data.error).toBe('invalid_grant');
			expect((await rest('profile', 'garbage')).data).toEqual({
				error: 'invalid_token',
				error_description: 'Unable to get application by token',
			});
		});

		it('accepts the token as auth in body or query, or as a Bearer header', async () => {
			const { access_token: token } = sandbox.oauth.issueTokens(APP.clientId);
			expect((await client.get(`${sandbox.url}/rest/profile.json?auth=${token}`)).status).toBe(200);
			expect(
				(
					await client.post(
						`${sandbox.url}/rest/profile`,
						{},
						{ headers: { Authorization: `Bearer ${token}` } },
					)
				).status,
			).toBe(200);
			const limited = sandbox.oauth.registerApp({
				clientId: 'local.crmonly',
				clientSecret: 'x',
				scopes: ['crm'],
			});
			const denied = await rest(
				'user.get',
				sandbox.oauth.issueTokens(limited.clientId).access_token,
			);
			expect(denied.data).toEqual({
				error: 'insufficient_scope',
				error_description:
					'The request requires higher privileges than provided by the access token',
			});
		});

		it('runs calls as the app: REST_APP_ID, app-scoped dedup and upload links with auth', async () => {
			const { access_token: token } = sandbox.oauth.issueTokens(APP.clientId);
			const params = { USER_ID: 1, PHONE_NUMBER: '+4915112345678', TYPE: 2 };
			const viaApp = (await rest('telephony.externalcall.register', token, params)).data.result
				.CALL_ID;
			const viaWebhook = (
				await client.post(`${sandbox.webhookUrl}telephony.externalcall.register`, params)
			).data.result.CALL_ID;
			expect(viaApp).not.toBe(viaWebhook);
			expect(
				(await rest('telephony.externalcall.register', token, params)).data.result.CALL_ID,
			).toBe(viaApp);

			const finished = await rest('telephony.externalcall.finish', token, {
				CALL_ID: viaApp,
				USER_ID: 1,
				DURATION: 5,
			});
			const appId = sandbox.state.apps[0].id;
			expect(finished.data.result).toMatchObject({
				REST_APP_ID: String(appId),
				REST_APP_NAME: 'Sandbox app local.sandbox01',
				PORTAL_NUMBER: `REST_APP:${appId}`,
			});
			const link = await rest('telephony.externalcall.attachrecord', token, {
				CALL_ID: viaApp,
				FILENAME: 'r.mp3',
			});
			expect(link.data.result.uploadUrl).toMatch(
				new RegExp(`^${sandbox.url}/rest/upload\\.json\\?auth=${token}&token=telephony%7C`),
			);
			const form = new FormData();
			form.append('file', new Blob([Buffer.from('ID3')]), 'r.mp3');
			const uploaded = await client.post(link.data.result.uploadUrl, form);
			expect(uploaded.data).toEqual({ result: { FILE_ID: expect.any(Number) } });
			expect(sandbox.requests.at(-1)).toMatchObject({ restMethod: 'upload', auth: 'oauth' });
		});
	});

	describe('event.bind / event.get / event.unbind', () => {
		it('are OAuth only and validate the event name', async () => {
			const webhook = await client.post(`${sandbox.webhookUrl}event.bind`, {
				event: 'ONEXTERNALCALLSTART',
				handler: receiverUrl,
			});
			expect(webhook.status).toBe(403);
			expect(webhook.data.error).toBe('WRONG_AUTH_TYPE');
			const { access_token: token } = sandbox.oauth.issueTokens(APP.clientId);
			const unknown = await rest('event.bind', token, {
				event: 'ONCRMDEALADD',
				handler: receiverUrl,
			});
			expect(unknown.data).toEqual({
				error: 'ERROR_EVENT_NOT_FOUND',
				error_description: 'Event not found',
			});
			expect(
				(
					await rest('event.bind', token, {
						event: 'onExternalCallStart',
						handler: `${receiverUrl}/app`,
					})
				).data.result,
			).toBe(true);
			expect(
				(
					await rest('event.bind', token, {
						event: 'ONEXTERNALCALLSTART',
						handler: `${receiverUrl}/app`,
					})
				).data.error_description,
			).toBe('Unable to set event handler: Handler already binded');
			expect((await rest('event.get', token)).data.result).toEqual([
				{ event: 'ONEXTERNALCALLSTART', handler: `${receiverUrl}/app`, auth_type: '0', offline: 0 },
			]);
			expect(
				(
					await rest('event.unbind', token, {
						event: 'ONEXTERNALCALLSTART',
						handler: `${receiverUrl}/app`,
					})
				).data.result,
			).toEqual({ count: 1 });
			expect((await rest('event.get', token)).data.result).toEqual([]);
		});
	});

	describe('event delivery', () => {
		it('sends ONEXTERNALCALLSTART to outbound webhooks for lines without an app, reduced auth block', async () => {
			const { applicationToken } = sandbox.events.addOutboundWebhook({
				url: `${receiverUrl}/hook`,
				events: ['ONEXTERNALCALLSTART'],
				applicationToken: 'outboundtoken',
			});
			const { callId, deliveries } = await sandbox.events.clickToCall({
				userId: 2,
				phoneNumber: '+4915112345678',
			});
			expect(deliveries).toEqual([
				expect.objectContaining({ url: `${receiverUrl}/hook`, status: 200, body: 'ok' }),
			]);
			expect(received).toHaveLength(1);
			expect(received[0].contentType).toBe('application/x-www-form-urlencoded');
			const payload = received[0].body;
			expect(payload).toMatch(
				/^event=ONEXTERNALCALLSTART&event_handler_id=\d+&data%5BPHONE_NUMBER%5D=%2B4915112345678&data%5BPHONE_NUMBER_INTERNATIONAL%5D=%2B4915112345678&data%5BEXTENSION%5D=&data%5BUSER_ID%5D=2&data%5BCALL_LIST_ID%5D=0&data%5BLINE_NUMBER%5D=%2B493000000&data%5BIS_MOBILE%5D=0&data%5BCALL_ID%5D=externalCall\.[0-9a-f]{32}\.\d+&data%5BCRM_ENTITY_TYPE%5D=CONTACT&data%5BCRM_ENTITY_ID%5D=797&ts=\d+&auth%5B/,
			);
			expect(parseStr(payload).auth).toEqual({
				domain: sandbox.url.replace('http://', ''),
				client_endpoint: `${sandbox.url}/rest/`,
				server_endpoint: `${sandbox.url}/rest/`,
				member_id: sandbox.state.memberId,
				application_token: applicationToken,
			});
			expect(sandbox.state.activeCalls[0]).toMatchObject({
				callId,
				userId: 2,
				type: 1,
				externalCallId: null,
				portalNumber: '+493000000',
			});
		});

		it('creates a lead from the line CRM_AUTO_CREATE and reports it in the event', async () => {
			sandbox.events.addOutboundWebhook({
				url: `${receiverUrl}/hook`,
				events: ['ONEXTERNALCALLSTART'],
			});
			await sandbox.events.clickToCall({ userId: 1, phoneNumber: '+4917000000001' });
			const data = parseStr(received[0].body).data as Record<string, unknown>;
			expect(data).toMatchObject({
				CRM_ENTITY_TYPE: 'LEAD',
				CRM_CREATED_LEAD: String(sandbox.state.leads.at(-1)?.id),
				CRM_CREATED_ENTITIES: [
					{ ENTITY_TYPE: 'LEAD', ENTITY_ID: String(sandbox.state.leads.at(-1)?.id) },
				],
			});
		});

		it('routes app lines to the app handlers only, with a usable access token', async () => {
			sandbox.events.addOutboundWebhook({
				url: `${receiverUrl}/hook`,
				events: ['ONEXTERNALCALLSTART'],
			});
			const { access_token: token } = sandbox.oauth.issueTokens(APP.clientId);
			await rest('event.bind', token, {
				event: 'ONEXTERNALCALLSTART',
				handler: `${receiverUrl}/app`,
			});
			await rest('telephony.externalline.add', token, {
				NUMBER: '+4940777',
				NAME: 'App line',
				CRM_AUTO_CREATE: 'N',
			});

			const { callId, deliveries } = await sandbox.events.clickToCall({
				userId: 3,
				phoneNumber: '+12025550123',
				clientId: APP.clientId,
				crmEntityType: 'CONTACT',
				crmEntityId: 798,
				duplicate: true,
			});
			expect(deliveries.map((delivery) => delivery.url)).toEqual([
				`${receiverUrl}/app`,
				`${receiverUrl}/app`,
			]);
			const payload = parseStr(received[0].body) as {
				data: Record<string, string>;
				auth: Record<string, string>;
			};
			expect(payload.data).toMatchObject({
				LINE_NUMBER: '+4940777',
				USER_ID: '3',
				CALL_ID: callId,
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: '798',
			});
			expect(Object.keys(payload.auth)).toEqual([
				'access_token',
				'expires',
				'expires_in',
				'scope',
				'domain',
				'server_endpoint',
				'status',
				'client_endpoint',
				'member_id',
				'user_id',
				'application_token',
			]);
			expect(payload.auth).toMatchObject({
				application_token: APP.applicationToken,
				user_id: '3',
				status: 'L',
			});

			const finish = await rest('telephony.externalcall.finish', payload.auth.access_token, {
				CALL_ID: callId,
				USER_ID: 3,
				DURATION: 12,
			});
			expect(finish.data.result).toMatchObject({
				CALL_ID: callId,
				PORTAL_NUMBER: '+4940777',
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: 798,
			});
		});

		it('sends ONEXTERNALCALLBACKSTART with the callback fields', async () => {
			sandbox.events.addOutboundWebhook({
				url: `${receiverUrl}/cb`,
				events: ['ONEXTERNALCALLBACKSTART'],
			});
			const { deliveries } = await sandbox.events.callbackRequest({
				phoneNumber: '+4915112345678',
				text: 'Call the client',
				voice: 'enfemale',
				crmEntityType: 'LEAD',
				crmEntityId: 1201,
			});
			expect(deliveries).toHaveLength(1);
			expect(parseStr(received[0].body)).toMatchObject({
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
		});

		it('builds raw bodies for forged events', () => {
			expect(
				sandbox.events.buildBody({
					event: 'ONEXTERNALCALLSTART',
					eventHandlerId: 7,
					ts: 100,
					data: { CALL_ID: 'c' },
					auth: { application_token: 't' },
				}),
			).toBe(
				'event=ONEXTERNALCALLSTART&event_handler_id=7&data%5BCALL_ID%5D=c&ts=100&auth%5Bapplication_token%5D=t',
			);
		});
	});

	describe('domain change redirects', () => {
		it('answers 302 to the new domain, then serves normally again', async () => {
			sandbox.redirects.set('*', 'http://127.0.0.1:9');
			const moved = await client.post(`${sandbox.webhookUrl}profile.json?x=1`);
			expect(moved.status).toBe(302);
			expect(moved.headers.location).toBe(
				`http://127.0.0.1:9/rest/1/${sandbox.webhookCode}/profile.json?x=1`,
			);
			sandbox.redirects.clear();
			expect((await client.post(`${sandbox.webhookUrl}profile.json`)).status).toBe(200);
		});

		it('simulates the coupon_activation redirect loop', async () => {
			sandbox.redirects.set('/rest/', 'loop');
			const first = await client.post(`${sandbox.webhookUrl}profile`);
			const location = first.headers.location as string;
			expect(location).toContain(`${sandbox.url}/bitrix/coupon_activation.php`);
			const again = await client.get(location);
			expect(again.status).toBe(302);
			expect(again.headers.location).toBe(location);
		});
	});
});
