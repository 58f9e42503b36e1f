/* eslint-disable @n8n/community-nodes/require-node-api-error -- development scripts run in Node, never inside n8n, and are not published */
/**
 * `n8n start` on a loopback port for an N8nHome: the published workflows' production webhooks
 * answer at `<url>/webhook/<path>`.
 */
import { BackgroundProcess, freePort, waitFor } from './processes';
import type { N8nHome } from './home';

/** Cold start of n8n with SQLite migrations on 2 cores takes well under a minute; the bounds are
 * generous because a loaded machine (CI beside other jobs) can take several times longer. */
const START_TIMEOUT_MS = 300000;
/** Webhooks are registered shortly after the server answers its readiness probe. */
const WEBHOOK_REGISTRATION_MS = 60000;

export interface N8nServer {
	url: string;
	port: number;
	process: BackgroundProcess;
	webhookUrl(path: string): string;
	stop(): Promise<void>;
}

export async function startN8nServer(home: N8nHome, port?: number): Promise<N8nServer> {
	const listenPort = port ?? (await freePort());
	const env = home.env({
		N8N_PORT: String(listenPort),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		// So that the webhook URLs n8n shows in its editor are the ones we call.
		WEBHOOK_URL: `http://127.0.0.1:${listenPort}/`,
		// Plain http on loopback: the editor's login cookie must not require TLS.
		N8N_SECURE_COOKIE: 'false',
	});
	const child = BackgroundProcess.start(
		`n8n ${home.runtime.n8nVersion}`,
		home.runtime.node,
		[home.runtime.n8nBin, 'start'],
		{
			cwd: home.dir,
			env,
		},
	);
	const url = `http://127.0.0.1:${listenPort}`;
	const server: N8nServer = {
		url,
		port: listenPort,
		process: child,
		webhookUrl: (path) => `${url}/webhook/${path.replace(/^\//, '')}`,
		stop: async () => {
			await child.stop();
			home.outputs.push(child.log);
		},
	};
	try {
		await waitUntilReady(child, url, `n8n ${home.runtime.n8nVersion}`, START_TIMEOUT_MS);
	} catch (error) {
		await server.stop();
		throw error;
	}
	return server;
}

/** Waits until an n8n process answers its readiness probe; fails at once if it exits. */
export async function waitUntilReady(
	child: BackgroundProcess,
	url: string,
	name: string,
	timeoutMs: number,
): Promise<void> {
	const state = await waitFor(
		`${name} to answer on ${url}`,
		async () => {
			if (!child.running) return 'exited';
			const response = await fetch(`${url}/healthz/readiness`);
			return response.ok ? 'ready' : undefined;
		},
		timeoutMs,
		500,
	);
	if (state === 'exited') throw new Error(`${name} exited during start:\n${child.log}`);
}

export interface WebhookResponse {
	status: number;
	body: unknown;
	text: string;
}

/**
 * POSTs to a production webhook. A 404 right after start means "not registered yet" and is
 * retried for a few seconds; any other answer is returned as it is.
 */
export async function postToWebhook(
	url: string,
	body: string | Record<string, unknown>,
	headers: Record<string, string> = {},
): Promise<WebhookResponse> {
	const isText = typeof body === 'string';
	const init = {
		method: 'POST',
		headers: {
			'content-type': isText ? 'application/x-www-form-urlencoded' : 'application/json',
			...headers,
		},
		body: isText ? body : JSON.stringify(body),
	};
	return await waitFor(
		`the webhook ${url} to be registered`,
		async () => {
			const response = await fetch(url, init);
			const text = await response.text();
			if (response.status === 404) return undefined;
			let parsed: unknown = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				// Not JSON: keep the text.
			}
			return { status: response.status, body: parsed, text };
		},
		WEBHOOK_REGISTRATION_MS,
		500,
	);
}
