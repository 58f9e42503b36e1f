/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * How Bitrix24's answers reach the user: each kind of failure, provoked on the sandbox portal
 * the way a real portal produces it, run through the engine.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import { startSandbox, type Sandbox } from '../../../../sandbox';
import { restMethods, usePortal } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';
import { REGISTER_PARAMETERS } from '../../../helpers/fixtures';

const { portal } = usePortal();

const registerParameters = REGISTER_PARAMETERS;

async function register(url = portal().webhookUrl, parameters: Record<string, unknown> = {}) {
	return await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: url } },
		parameters: { ...registerParameters, ...parameters } as never,
	});
}

beforeEach(() => {
	portal().clearRequests();
	portal().configure({ faults: { next: [] } });
	portal().redirects.clear();
});

describe('credential and permission errors', () => {
	test('a wrong webhook code: INVALID_CREDENTIALS, explained, code masked', async () => {
		const url = portal().webhookUrl.replace(portal().webhookCode, 'wrongcode12345');
		const result = await register(url);
		expect(result.error?.message).toBe(
			'Bitrix24 rejected the webhook of the credential "bitrix24WebhookApi": it has expired, was deleted, or its URL is wrong (Bitrix24: INVALID_CREDENTIALS "Invalid request credentials")',
		);
		expect(result.error?.description).toContain('Inbound webhook');
		expect(result.error?.httpCode).toBe('401');
	});

	test('an expired inbound webhook: the message says it may have expired and names the credential', async () => {
		// Bitrix24 refuses an expired webhook like a deleted one (docs/bitrix24-fidelity.md row 45).
		const url = portal().addWebhook({ userId: 1, expiresAt: Date.now() - 1000 });
		const result = await register(url);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/^Bitrix24 rejected the webhook of the credential "bitrix24WebhookApi": it has expired/,
		);
		expect(result.error?.description).toContain('expiration date');
		// Refused once, not retried: repeating cannot help an expired webhook.
		expect(portal().requests.map((r) => r.status)).toEqual([401]);
	});

	test('a webhook without the telephony scope: the message names the scope to add', async () => {
		const url = portal().addWebhook({ userId: 1, scopes: ['crm', 'user'] });
		const result = await register(url);
		expect(result.error?.message).toBe(
			'The credential lacks the "telephony" permission needed for telephony.externalcall.register (Bitrix24: insufficient_scope "The request requires higher privileges than provided by the webhook token")',
		);
		expect(result.error?.description).toContain('tick telephony');
	});

	test('a portal that accepts register only from applications: switch to OAuth2', async () => {
		const strict: Sandbox = await startSandbox({ authTypeMode: 'doc' });
		try {
			const result = await register(strict.webhookUrl);
			expect(result.error?.message).toBe(
				'Bitrix24 accepts telephony.externalcall.register only from an application, not from an inbound webhook: use the Bitrix24 OAuth2 credential (Bitrix24: WRONG_AUTH_TYPE "Current authorization type is denied for this method")',
			);
			expect(result.error?.description).toContain(
				'choose or create a Bitrix24 OAuth2 API credential in the Credential field',
			);
			expect(result.error?.httpCode).toBe('403');
		} finally {
			await strict.close();
		}
	});

	test.each([
		['no user id', 'http://portal.example/rest/abc/'],
		['not a URL', 'portal.bitrix24.com'],
		['empty', '  '],
	])(
		'a malformed webhook URL (%s) shows the expected shape, before any request',
		async (_name, url) => {
			const result = await register(url);
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain(
				'https://your-portal.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx/',
			);
			expect(restMethods(portal())).toEqual([]);
		},
	);

	test('a pasted URL with spaces and a trailing profile.json works', async () => {
		const result = await register(`  ${portal().webhookUrl}profile.json \n`, {
			additionalFields: { externalCallId: 'paste-1' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].path).toBe('/rest/1/***/telephony.externalcall.register.json');
	});
});

describe('Bitrix24 validation and method errors', () => {
	test('an empty error code: the reason comes from error_description', async () => {
		const result = await register(portal().webhookUrl, { userPhoneInner: '999' });
		expect(portal().requests[0].response).toEqual({
			error: '',
			error_description: 'USER_ID or USER_PHONE_INNER should be set',
		});
		expect(result.error?.message).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
	});

	test('the same with ERROR_CORE, as the docs show it', async () => {
		const core: Sandbox = await startSandbox({ errorCodeStyle: 'ERROR_CORE' });
		try {
			const result = await register(core.webhookUrl, {
				userIdentification: 'userId',
				userId: { __rl: true, mode: 'id', value: '4' },
			});
			expect(core.requests[0].response).toMatchObject({ error: 'ERROR_CORE' });
			expect(result.error?.message).toBe(
				'The Bitrix24 employee is not found or is not active (Bitrix24: ERROR_CORE "User is not found or is not active")',
			);
		} finally {
			await core.close();
		}
	});

	test('ERROR_METHOD_NOT_FOUND', async () => {
		portal().configure({
			faults: {
				next: [
					{
						status: 404,
						body: '{"error":"ERROR_METHOD_NOT_FOUND","error_description":"Method not found!"}',
					},
				],
			},
		});
		const result = await register();
		expect(result.error?.message).toBe(
			'Bitrix24 does not know the method telephony.externalcall.register (Bitrix24: ERROR_METHOD_NOT_FOUND "Method not found!")',
		);
	});

	test("ACCESS_DENIED passes Bitrix24's reason on", async () => {
		portal().configure({
			faults: {
				next: [
					{
						status: 403,
						body: '{"error":"ACCESS_DENIED","error_description":"REST API is available only on commercial plans."}',
					},
				],
			},
		});
		const result = await register();
		expect(result.error?.message).toBe(
			'Bitrix24 denied access (Bitrix24: ACCESS_DENIED "REST API is available only on commercial plans.")',
		);
		expect(result.error?.description).toContain('lack rights for telephony');
	});
});

describe('limits', () => {
	test('503 QUERY_LIMIT_EXCEEDED is retried, and the call is registered once', async () => {
		portal().configure({ faults: { next: ['queryLimit', 'queryLimit'] } });
		const result = await register(portal().webhookUrl, {
			additionalFields: { externalCallId: 'limit-1' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests.map((r) => r.status)).toEqual([503, 503, 200]);
		expect(portal().state.activeCalls.filter((c) => c.externalCallId === 'limit-1')).toHaveLength(
			1,
		);
	});

	test('429 OPERATION_TIME_LIMIT without a known reset fails clearly, without hammering', async () => {
		portal().configure({ faults: { next: ['operationTimeLimit'] } });
		const result = await register(portal().webhookUrl, {
			additionalFields: { externalCallId: 'op-1' },
		});
		expect(result.error?.message).toBe(
			'Bitrix24 has blocked telephony.externalcall.register for exceeding its server-time budget (Bitrix24: OPERATION_TIME_LIMIT "Method is blocked due to operation time limit.")',
		);
		expect(result.error?.httpCode).toBe('429');
		expect(portal().requests).toHaveLength(1);
	});
});

describe('not the REST API', () => {
	let html: http.Server;
	let htmlUrl: string;
	beforeAll(async () => {
		html = http.createServer((_req, res) =>
			res
				.writeHead(200, { 'content-type': 'text/html' })
				.end('<html><body>Welcome to our portal</body></html>'),
		);
		await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
		htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}/rest/1/htmlsecret99/`;
	});
	afterAll(() => new Promise<void>((resolve) => html.close(() => resolve())));

	test('an HTML page (wrong portal URL) is named as such', async () => {
		const result = await register(htmlUrl);
		expect(result.error?.message).toBe(
			'The address in the credential did not answer like the Bitrix24 REST API (HTTP 200, not JSON)',
		);
	});

	test('a 502 maintenance page on a non-idempotent register: the outcome is unknown, not repeated', async () => {
		portal().configure({ faults: { next: ['htmlPage'] } });
		const result = await register();
		expect(result.error?.message).toContain('it is unknown whether it was processed');
		expect(portal().requests).toHaveLength(1);
	});

	test('a 302 to another host is not followed: the webhook code never leaves for it', async () => {
		const seen: string[] = [];
		const other = http.createServer((req, res) => {
			seen.push(req.url ?? '');
			res.end('{}');
		});
		await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
		const otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
		portal().redirects.set('*', otherOrigin);
		try {
			const result = await register();
			expect(result.error?.message).toBe(
				`The Bitrix24 portal redirected the request to ${otherOrigin}`,
			);
			expect(seen).toEqual([]);
		} finally {
			await new Promise<void>((resolve) => other.close(() => resolve()));
		}
	});

	test('a self-hosted portal with an expired licence (redirect loop) is explained', async () => {
		portal().redirects.set('*', 'loop');
		const result = await register();
		expect(result.error?.message).toBe(
			'The Bitrix24 portal redirects to its licence activation page',
		);
	});
});
