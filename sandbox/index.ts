/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * Bitrix24 sandbox portal: an HTTP server on 127.0.0.1 that behaves like a portal's REST API
 * around telephony, quirks included (empty error codes, 0/1 booleans, 30-minute dedup, batch
 * shapes, rate limits, PHP-encoded events), as apidocs.bitrix24.com documents them.
 * Test tooling only.
 */
import { randomBytes } from 'crypto';
import type { AddressInfo } from 'net';
import { EventDispatcher } from './events';
import { SandboxRuntime } from './runtime';
import { createState } from './seed';
import { createSandboxServer } from './server';
import type { Sandbox, SandboxOptions } from './types';

export { PLAN_LIMITS } from './limits';
export type * from './types';
export type * from './state';
export type { Params, PhpValue } from './php-values';
export type { ServerTimeOptions } from './server-time';

const DEFAULT_WEBHOOK_SCOPES = ['telephony', 'crm', 'user'];

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
	const state = createState(options.seed ?? 'demo');
	const runtime = new SandboxRuntime(state, options.now ?? Date.now, options);
	const { server, close } = createSandboxServer(runtime);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	runtime.baseUrl = url;

	const addWebhook = (webhook: {
		userId: number;
		code?: string;
		scopes?: string[];
		expiresAt?: number;
	}): string => {
		const code = webhook.code ?? `sbx${randomBytes(8).toString('hex')}`;
		state.webhooks.push({
			userId: webhook.userId,
			code,
			scopes: webhook.scopes ?? DEFAULT_WEBHOOK_SCOPES,
			expiresAt: webhook.expiresAt ?? null,
		});
		return `${url}/rest/${webhook.userId}/${code}/`;
	};
	const webhookUrl = addWebhook({
		userId: options.webhook?.userId ?? 1,
		code: options.webhook?.code,
		scopes: options.webhook?.scopes,
		expiresAt: options.webhook?.expiresAt,
	});

	const events = new EventDispatcher(runtime);
	runtime.eventSink = (event, data, userId) => events.queueCallEvent(event, data, userId);
	const sandbox: Sandbox = {
		secrets: () => [
			...state.webhooks.map((w) => w.code),
			...state.apps.flatMap((app) => [app.clientSecret, app.applicationToken]),
			...state.eventHandlers.map((h) => h.applicationToken),
			...runtime.oauth.issuedTokens(),
		],
		url,
		webhookUrl,
		webhookCode: state.webhooks[0].code,
		state,
		requests: runtime.requests,
		clearRequests: () => {
			runtime.requests.length = 0;
		},
		configure: (patch) => runtime.configure(patch),
		addWebhook,
		limits: {
			stats: () => ({ ...runtime.limitStats }),
			reset: () => runtime.resetLimits(),
		},
		oauth: runtime.oauth,
		events,
		redirects: runtime.redirects,
		close: async () => {
			live.delete(sandbox);
			await close();
		},
	};
	live.add(sandbox);
	return sandbox;
}

const live = new Set<Sandbox>();

/** The secrets of every sandbox running in this process, for tests' leak scans. */
export function liveSandboxSecrets(): string[] {
	return [...live].flatMap((sandbox) => sandbox.secrets()).filter((secret) => secret.length >= 8);
}
