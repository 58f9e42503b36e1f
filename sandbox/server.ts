/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * HTTP front of the sandbox portal: routing, body reading, faults, rate limit, logging.
 *
 *   /rest/{userId}/{code}/{method}[.json|/]   inbound webhook
 *   /rest/{method}[.json]                     OAuth (`auth` parameter or Bearer header)
 *   /oauth/token/, /oauth/authorize/           OAuth server
 *   anything else                             HTML 404, like a wrong portal path
 */
import * as http from 'http';
import { authenticateOAuth, authenticateWebhook } from './auth';
import { processCall } from './dispatch';
import { errorEnvelope } from './envelope';
import { queryLimitExceeded, RestError } from './errors';
import type { Fault } from './faults';
import type { InvokeOutcome } from './methods/context';
import { splitCommand } from './methods/batch';
import { multipartBoundary } from './multipart';
import { isPhpArray, Params, phpArrayValues, phpString } from './php-values';
import {
	jsonReply,
	maintenancePage,
	notFoundPage,
	payloadTooLarge,
	rawReply,
	redirectReply,
	Reply,
} from './reply';
import { MultipartCollector, ParsedRequest, parseRequest, RequestBody } from './request-parsing';
import type { SandboxRuntime } from './runtime';
import type { LoggedRequest } from './types';

/** Request bodies above this size get 413 (recordings up to 200 MB pass). */
const MAX_BODY_BYTES = 200 * 1024 * 1024;

interface RestRoute {
	/** Lowercase method name without ".json"; "" when the path has no method. */
	method: string;
	webhook: { userSegment: string; code: string } | null;
}

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
	const receivedAt = runtime.now();
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const entry: LoggedRequest = {
		httpMethod: req.method ?? 'GET',
		path: url.pathname,
		restMethod: '',
		params: {},
		auth: 'none',
		status: 0,
		response: null,
		time: receivedAt,
	};
	runtime.requests.push(entry);
	const send = async (reply: Reply) => {
		entry.status = reply.status;
		entry.response = reply.logged;
		await sleep(runtime.settings.latencyMs);
		if (!res.destroyed) res.writeHead(reply.status, reply.headers).end(reply.body);
	};

	const location = runtime.redirects.locationFor(url.pathname, url.search);
	if (location) {
		req.resume();
		return send(redirectReply(location));
	}
	if (url.pathname.startsWith('/rest/'))
		return handleRest(runtime, req, res, url, entry, send, sleep);

	const oauthEndpoint = url.pathname.replace(/\/$/, '');
	if (oauthEndpoint === '/oauth/token' || oauthEndpoint === '/oauth/authorize') {
		const body = await readBody(req);
		if (body === null) return sendTooLarge(res, send);
		const { params } = parseRequest(url.search.slice(1), req.headers['content-type'], body);
		entry.params = params;
		entry.restMethod = oauthEndpoint === '/oauth/token' ? 'oauth.token' : 'oauth.authorize';
		return send(
			entry.restMethod === 'oauth.token'
				? runtime.oauth.handleToken(params, req.headers.authorization)
				: runtime.oauth.handleAuthorize(params),
		);
	}
	req.resume();
	return send(notFoundPage());
}

async function handleRest(
	runtime: SandboxRuntime,
	req: http.IncomingMessage,
	res: http.ServerResponse,
	url: URL,
	entry: LoggedRequest,
	send: (reply: Reply) => Promise<void>,
	sleep: (ms: number) => Promise<void>,
): Promise<void> {
	const route = parseRestPath(url.pathname);
	entry.restMethod = route.method;
	if (route.webhook) {
		entry.auth = 'webhook';
		entry.path = url.pathname.replace(/^(\/rest\/[^/]+\/)[^/]+/, '$1***');
	}

	const fault = runtime.faults.pick();
	if (fault) entry.fault = fault.kind === 'raw' ? `raw ${fault.raw.status}` : fault.kind;
	if (fault?.kind === 'dropBeforeProcessing') {
		req.socket.destroy();
		return;
	}

	const body = await readBody(req);
	if (body === null) return sendTooLarge(res, send);
	const parsed = parseRequest(url.search.slice(1), req.headers['content-type'], body);
	// rest ≥ 20 (oauth/auth.php getAuthKey): the Bearer header first, then `auth`, then
	// `access_token`; rest ≤ 17 reads only the parameters.
	const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
	const param = (name: string) =>
		typeof parsed.params[name] === 'string' ? (parsed.params[name] as string) : undefined;
	const accessToken = bearer ?? param('auth') ?? param('access_token') ?? '';
	logRequest(entry, route, parsed, accessToken);

	const reply =
		(fault && immediateFaultReply(fault)) ||
		(await processRest(runtime, req, route, parsed, accessToken, entry.time));
	if (fault?.kind === 'dropConnection') {
		entry.status = reply.status;
		entry.response = reply.logged;
		res.socket?.destroy();
		return;
	}
	if (fault?.kind === 'hang') await sleep(runtime.faults.hangMs);
	return send(reply);
}

/** Rate limit (one per HTTP request, batch included), then the call itself. */
async function processRest(
	runtime: SandboxRuntime,
	req: http.IncomingMessage,
	route: RestRoute,
	parsed: ParsedRequest,
	accessToken: string,
	startedAt: number,
): Promise<Reply> {
	if (
		runtime.rateLimiter &&
		!runtime.rateLimiter.tryAcquire(req.socket.remoteAddress ?? 'unknown')
	) {
		runtime.limitStats.rejected503++;
		return errorReply(runtime, queryLimitExceeded());
	}
	runtime.limitStats.accepted++;
	const outcome = await processCall(runtime, {
		method: route.method,
		params: parsed.params,
		files: parsed.files,
		startedAt,
		authenticate: (scope) =>
			route.webhook
				? authenticateWebhook(runtime, route.webhook.userSegment, route.webhook.code, scope)
				: authenticateOAuth(runtime, accessToken, scope),
	});
	return outcomeReply(runtime, outcome);
}

/** {result, next?, total?, time?} or the error envelope. */
function outcomeReply(runtime: SandboxRuntime, outcome: InvokeOutcome): Reply {
	if (!outcome.ok) return errorReply(runtime, outcome.error);
	const envelope: Record<string, unknown> = { result: outcome.result };
	if (outcome.next !== undefined) envelope.next = outcome.next;
	if (outcome.total !== undefined) envelope.total = outcome.total;
	if (outcome.time !== undefined) envelope.time = outcome.time;
	return jsonReply(200, envelope);
}

function errorReply(runtime: SandboxRuntime, error: RestError): Reply {
	return jsonReply(error.status, errorEnvelope(error, runtime.settings.errorCodeStyle));
}

/** Faults answered instead of processing; null for the ones that process first. */
function immediateFaultReply(fault: Fault): Reply | null {
	switch (fault.kind) {
		case 'queryLimit':
			return jsonReply(503, {
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			});
		case 'serverError':
			return jsonReply(500, {
				error: 'INTERNAL_SERVER_ERROR',
				error_description: 'Internal server error',
			});
		case 'operationTimeLimit':
			return jsonReply(429, {
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
			});
		case 'htmlPage':
			return maintenancePage();
		case 'raw':
			return rawReply(fault.raw.status, fault.raw.body, fault.raw.headers);
		default:
			return null;
	}
}

/** /rest/{userId}/{code}/{method} or /rest/{method}; ".json" and a trailing slash are optional. */
function parseRestPath(pathname: string): RestRoute {
	const segments = pathname
		.slice('/rest/'.length)
		.split('/')
		.filter((segment) => segment !== '')
		.map(safeDecode);
	const methodOf = (segment: string) => segment.replace(/\.json$/i, '').toLowerCase();
	if (segments.length === 3)
		return {
			method: methodOf(segments[2]),
			webhook: { userSegment: segments[0], code: segments[1] },
		};
	if (segments.length === 1) return { method: methodOf(segments[0]), webhook: null };
	return { method: '', webhook: null };
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

function logRequest(
	entry: LoggedRequest,
	route: RestRoute,
	parsed: ParsedRequest,
	accessToken: string,
): void {
	entry.params = parsed.params;
	if (!route.webhook && accessToken !== '') entry.auth = 'oauth';
	if (parsed.files.length > 0) {
		entry.files = parsed.files.map((file) => ({
			field: file.field,
			filename: file.filename,
			size: file.digest.size,
			sha256: file.digest.finish().sha256,
		}));
	}
	if (route.method === 'batch') entry.batchCommands = batchCommandMethods(parsed.params);
}

function batchCommandMethods(params: Params): string[] {
	const key = Object.keys(params).find((candidate) => candidate.toUpperCase() === 'CMD');
	const commands = key === undefined ? undefined : params[key];
	if (!isPhpArray(commands)) return [];
	return phpArrayValues(commands)
		.filter((command): command is string => typeof command === 'string')
		.map((command) => splitCommand(phpString(command)).method);
}

/** The whole body (multipart streamed into a collector); null beyond MAX_BODY_BYTES. */
function readBody(req: http.IncomingMessage): Promise<RequestBody | null> {
	const boundary = multipartBoundary(req.headers['content-type']);
	const collector = boundary ? new MultipartCollector(boundary) : null;
	const chunks: Buffer[] = [];
	let size = 0;
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) {
				req.off('data', onData);
				req.pause();
				resolve(null);
				return;
			}
			if (collector) collector.write(chunk);
			else chunks.push(chunk);
		};
		req.on('data', onData);
		req.on('end', () =>
			resolve(
				collector ? { kind: 'multipart', collector } : { kind: 'raw', data: Buffer.concat(chunks) },
			),
		);
		req.on('error', reject);
	});
}

async function sendTooLarge(
	res: http.ServerResponse,
	send: (reply: Reply) => Promise<void>,
): Promise<void> {
	res.setHeader('Connection', 'close');
	await send(payloadTooLarge());
	res.on('finish', () => res.socket?.destroy());
}
