/**
 * The Test button of the Bitrix24 Webhook credential: one `batch` request (profile +
 * telephony.externalLine.get), sent to the sandbox the way n8n's credential tester sends it (the
 * credential's `authenticate`, then the declared request), and judged by the declared rules the
 * way the tester judges them (`get(body, key) === value` fails the test with the rule's message).
 */
import type { IAuthenticateRuleResponseSuccessBody, IDataObject } from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { startSandbox, type Sandbox } from '../../sandbox';
import { usePortal } from '../helpers/portal';

const { portal } = usePortal();
const credential = new Bitrix24WebhookApi();

function get(body: unknown, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(node, key) =>
				node !== null && typeof node === 'object' ? (node as IDataObject)[key] : undefined,
			body,
		);
}

/** The tester's verdict: `{ status, message }`. */
async function runTest(webhookUrl: string): Promise<{ status: string; message: string }> {
	const { request, rules = [] } = credential.test;
	const options = await credential.authenticate(
		{ webhookUrl },
		{ method: request.method, url: String(request.url), body: request.body as IDataObject },
	);
	const response = await fetch(`${options.baseURL}${options.url}`, {
		method: options.method,
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(options.body),
	});
	if (!response.ok)
		return { status: 'Error', message: `Received HTTP status code: ${response.status}` };
	const body = await response.json();
	for (const rule of rules as IAuthenticateRuleResponseSuccessBody[]) {
		if (get(body, rule.properties.key) === rule.properties.value)
			return { status: 'Error', message: rule.properties.message };
	}
	return { status: 'OK', message: 'Connection successful!' };
}

beforeEach(() => portal().clearRequests());

test('on a portal that accepts telephony methods from webhooks: OK, after profile and a line read', async () => {
	const verdict = await runTest(`${portal().webhookUrl}profile/`);
	expect(verdict.status).toBe('OK');
	expect(portal().requests.map((r) => r.restMethod)).toEqual(['batch']);
	expect(portal().requests[0].batchCommands).toEqual(['profile', 'telephony.externalline.get']);
});

test('on a portal that refuses them (WRONG_AUTH_TYPE): says so in plain words, naming OAuth2', async () => {
	const strict: Sandbox = await startSandbox({ seed: 'demo', authTypeMode: 'doc' });
	try {
		const verdict = await runTest(strict.webhookUrl);
		expect(verdict.status).toBe('Error');
		expect(verdict.message).toContain('does not accept telephony methods from a webhook');
		expect(verdict.message).toContain('Bitrix24 OAuth2 credential');
		expect(verdict.message).not.toContain(strict.webhookCode);
	} finally {
		await strict.close();
	}
});

test('a webhook without the telephony permission: says which box to tick', async () => {
	const url = portal().addWebhook({ userId: 1, scopes: ['crm', 'user'] });
	const verdict = await runTest(url);
	expect(verdict).toEqual({
		status: 'Error',
		message: expect.stringContaining('"telephony" permission'),
	});
});

test('a wrong webhook code fails the test', async () => {
	const verdict = await runTest(
		portal().webhookUrl.replace(portal().webhookCode, 'wrongcode12345'),
	);
	expect(verdict.status).toBe('Error');
});
