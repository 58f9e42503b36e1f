/**
 * The Test button of the Bitrix24 Webhook credential: one `batch` request (profile +
 * telephony.externalLine.get), sent to the sandbox the way n8n's credential tester sends it (the
 * credential's `authenticate`, then the declared request), and judged by the declared rules the
 * way the tester judges them (n8n 2.41.1 packages/cli credentials-tester.service.ts: a failed
 * request is matched against the `responseCode` rules, else reported by its status text; a
 * successful one against the `responseSuccessBody` rules, `get(body, key) === value` failing the
 * test with the rule's message).
 */
import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	IDataObject,
} from 'n8n-workflow';

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
	const all = rules as Array<IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody>;
	if (!response.ok) {
		for (const rule of all) {
			if (rule.type === 'responseCode' && rule.properties.value === response.status)
				return { status: 'Error', message: rule.properties.message };
		}
		return { status: 'Error', message: response.statusText };
	}
	const body = await response.json();
	for (const rule of all) {
		if (
			rule.type === 'responseSuccessBody' &&
			get(body, rule.properties.key) === rule.properties.value
		)
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
		expect(verdict.message).toContain('WRONG_AUTH_TYPE');
		// Which operations the webhook still serves, and where to switch for the others.
		for (const operation of [
			'Show Card',
			'Hide Card',
			'Search CRM Entities',
			'Get Call History',
			'Attach Record',
			'Attach Transcription',
		])
			expect(verdict.message).toContain(operation);
		expect(verdict.message).toContain(
			"choose or create a Bitrix24 OAuth2 API credential in the node's Credential field",
		);
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

test('a wrong or deleted webhook code: says so in plain words, not only "Unauthorized"', async () => {
	const verdict = await runTest(
		portal().webhookUrl.replace(portal().webhookCode, 'wrongcode12345'),
	);
	expect(verdict.status).toBe('Error');
	expect(verdict.message).toContain('Bitrix24 does not know this webhook (INVALID_CREDENTIALS)');
	expect(verdict.message).toContain('copy its URL again');
	expect(verdict.message).not.toContain('wrongcode12345');
});

test('a portal answering INVALID_CREDENTIALS with 403: the same plain words', async () => {
	const strict: Sandbox = await startSandbox({ seed: 'demo', authErrorStatus: 403 });
	try {
		const verdict = await runTest(strict.webhookUrl.replace(strict.webhookCode, 'gone1234567890'));
		expect(verdict.message).toContain('Bitrix24 does not know this webhook');
	} finally {
		await strict.close();
	}
});
