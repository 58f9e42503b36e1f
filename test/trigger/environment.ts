/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * What the trigger tests share: a fresh sandbox portal per test (its event handlers must not
 * leak between tests), one n8n webhook endpoint stand-in per file, and the secret scan.
 */
import type { ICredentialDataDecryptedObject, IRun } from 'n8n-workflow';

import { startSandbox, type Sandbox, type TokenResponse } from '../../sandbox';
import { resetDedup } from '../../nodes/Bitrix24TelephonyTrigger/dedup';
import {
	N8nWebhookServer,
	PbxStandIn,
	TriggerWorkflow,
	type TriggerWorkflowOptions,
} from '../helpers/webhookRunner';

export const OUTBOUND_TOKEN = 'j7kzb4v1ob5x7yl6kw5yvehyidmcb2xw';

export const APP = {
	clientId: 'local.6655aabbccdd00.11223344',
	clientSecret: 'Xy12appSecretForTriggerTests0001',
	applicationToken: '51610fefc120af04b628cc82d6298cce',
};

export function useTriggerEnvironment(): { portal: () => Sandbox; n8n: () => N8nWebhookServer } {
	let sandbox: Sandbox | undefined;
	const server = new N8nWebhookServer();
	beforeAll(async () => {
		await server.start();
	});
	afterAll(async () => {
		await server.close();
	});
	beforeEach(async () => {
		resetDedup();
		PbxStandIn.dialled = [];
		sandbox = await startSandbox({ seed: 'demo' });
	});
	afterEach(async () => {
		jest.restoreAllMocks();
		await sandbox?.close();
	});
	return {
		portal: () => {
			if (!sandbox) throw new Error('sandbox not started');
			return sandbox;
		},
		n8n: () => server,
	};
}

export function outboundCredentials(
	applicationToken = OUTBOUND_TOKEN,
): Record<string, ICredentialDataDecryptedObject> {
	return { bitrix24OutboundWebhookApi: { applicationToken } };
}

/** The OAuth2 credential as n8n holds it after "Connect my account". */
export function oauthCredential(
	sandbox: Sandbox,
	tokens: TokenResponse,
	applicationToken: string | undefined = APP.applicationToken,
): ICredentialDataDecryptedObject {
	return {
		grantType: 'authorizationCode',
		portalUrl: sandbox.url,
		clientId: APP.clientId,
		clientSecret: APP.clientSecret,
		oauthServerUrl: sandbox.url,
		authUrl: sandbox.oauth.authorizeUrl,
		accessTokenUrl: sandbox.oauth.tokenUrl,
		scope: 'telephony,crm,user',
		authQueryParameters: '',
		authentication: 'body',
		...(applicationToken !== undefined ? { applicationToken } : {}),
		plan: 'standard',
		oauthTokenData: { ...tokens },
	};
}

/** Registers the sandbox app and connects an OAuth2 credential to it. */
export function connectApp(
	sandbox: Sandbox,
	applicationToken: string | undefined = APP.applicationToken,
) {
	sandbox.oauth.registerApp({ ...APP, scopes: ['telephony', 'crm', 'user'] });
	const tokens = sandbox.oauth.issueTokens(APP.clientId);
	return {
		tokens,
		credentials: { bitrix24OAuth2Api: oauthCredential(sandbox, tokens, applicationToken) },
	};
}

export function triggerWorkflow(
	server: N8nWebhookServer,
	options: TriggerWorkflowOptions,
): TriggerWorkflow {
	return new TriggerWorkflow(server, options);
}

/** Everything a user, a log or a later node could see of the runs and the webhook calls. */
export async function visibleText(
	workflow: TriggerWorkflow,
	extra: unknown[] = [],
): Promise<string> {
	return JSON.stringify(await visibleTree(workflow, extra));
}

/** The same, as a tree (`runs[i]` is a run's data), for scans that allow one intended field. */
export async function visibleTree(
	workflow: TriggerWorkflow,
	extra: unknown[] = [],
): Promise<Record<string, unknown>> {
	const runs: IRun[] = await workflow.runs();
	const errors = workflow.calls.flatMap((call) => (call.error ? [call.error] : []));
	return {
		runs: runs.map((run) => run.data),
		results: workflow.calls.map((call) => call.result),
		errors: errors.map((error) => ({
			...error,
			message: error.message,
			stack: error.stack,
			description: (error as { description?: unknown }).description,
		})),
		extra,
	};
}

export function expectNoSecrets(text: string, secrets: string[]): void {
	for (const secret of secrets.filter((value) => value.length >= 8))
		expect(text).not.toContain(secret);
}
