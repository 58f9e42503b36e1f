/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * HTTP front of the sandbox portal: the request log, latency, and which handler answers a path.
 *
 *   configured redirects                      3xx (redirects.ts)
 *   /rest/{userId}/{code}/{method}[.json|/]   inbound webhook   (rest-endpoint.ts)
 *   /rest/{method}[.json]                     OAuth (`auth` parameter or Bearer header)
 *   /oauth/token/, /oauth/authorize/          OAuth server      (oauth-endpoint.ts)
 *   anything else                             HTML 404, like a wrong portal path
 */
import * as http from 'http';
import type { Exchange } from './exchange';
import { handleOAuthEndpoint } from './oauth-endpoint';
import { notFoundPage, redirectReply, Reply } from './reply';
import { handleRest } from './rest-endpoint';
import type { SandboxRuntime } from './runtime';
import type { LoggedRequest } from './types';

export interface SandboxServer {
	server: http.Server;
	close(): Promise<void>;
}

export function createSandboxServer(runtime: SandboxRuntime): SandboxServer {
	const timers = new Set<NodeJS.Timeout>();
	const sleep = (ms: number) =>
		ms <= 0
			? Promise.resolve()
			: new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						timers.delete(timer);
						resolve();
					}, ms);
					timers.add(timer);
				});

	const server = http.createServer((req, res) => {
		handleRequest(runtime, req, res, sleep).catch((error: unknown) => {
			// eslint-disable-next-line no-console
			console.error('[bitrix24 sandbox] request failed', error);
			if (!res.headersSent && !res.destroyed)
				res.writeHead(500, { 'Content-Type': 'text/plain' }).end('sandbox error');
		});
	});

	return {
		server,
		close: () =>
			new Promise<void>((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

async function handleRequest(
	runtime: SandboxRuntime,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	sleep: (ms: number) => Promise<void>,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const entry: LoggedRequest = {
		httpMethod: req.method ?? 'GET',
		path: url.pathname,
		restMethod: '',
		params: {},
		auth: 'none',
		status: 0,
		response: null,
		time: runtime.now(),
	};
	runtime.requests.push(entry);
	const exchange: Exchange = {
		runtime,
		req,
		res,
		url,
		entry,
		sleep,
		send: async (reply: Reply) => {
			entry.status = reply.status;
			entry.response = reply.logged;
			await sleep(runtime.settings.latencyMs);
			if (!res.destroyed) res.writeHead(reply.status, reply.headers).end(reply.body);
		},
	};

	const location = runtime.redirects.locationFor(url.pathname, url.search);
	if (location) {
		req.resume();
		return exchange.send(redirectReply(location));
	}
	if (url.pathname.startsWith('/rest/')) return handleRest(exchange);
	if (await handleOAuthEndpoint(exchange)) return;
	req.resume();
	return exchange.send(notFoundPage());
}
