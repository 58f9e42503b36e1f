/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * A stand-in for the n8n instance's webhook endpoint (`/webhook/<id>/<path>`, `/webhook-test/…`)
 * on 127.0.0.1.
 *
 * n8n-core has no HTTP side: the webhook server, its body middlewares and express live in
 * n8n's `cli` package, which is not a dependency. So this file keeps only what the node sees of
 * them: the body read like n8n's `rawBodyReader` + `parseBody`
 * (packages/cli/src/middlewares/body-parser.ts), with n8n's own `parseIncomingMessage` for
 * the content type: `req.rawBody` is the Buffer, a form body is
 * `querystring.parse(…, { maxKeys: 1000 })` so bracket keys stay flat, JSON is parsed, more than
 * `N8N_PAYLOAD_SIZE_MAX` is 413; and the three methods of express's response that nodes call.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { parse as parseQueryString } from 'querystring';

import * as backendNetwork from '@n8n/backend-network';
import * as n8nCore from 'n8n-core';

type ParseIncomingMessage = (message: http.IncomingMessage) => void;

/**
 * n8n's parser of Content-Type and Content-Disposition (rawBodyReader's first step): n8n-core
 * exported it up to 2.1x; n8n-core 2.41 no longer does, and n8n's rawBodyReader takes it from
 * @n8n/backend-network (a dependency of n8n-core 2.41; jest.config.js maps it to that copy).
 */
const parseIncomingMessage: ParseIncomingMessage =
	(n8nCore as { parseIncomingMessage?: ParseIncomingMessage }).parseIncomingMessage ??
	(backendNetwork as unknown as { parseIncomingMessage: ParseIncomingMessage }).parseIncomingMessage;

/** n8n's default `N8N_PAYLOAD_SIZE_MAX` (MiB). */
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

/**
 * An `http.IncomingMessage` after n8n's body middlewares (n8n-workflow declares `rawBody`,
 * `contentType`, `encoding` and `readRawBody` on IncomingMessage itself).
 */
export interface WebhookRequest extends http.IncomingMessage {
	body?: unknown;
	query: Record<string, unknown>;
	params: Record<string, unknown>;
}

/** The part of express's `Response` that nodes use, on a real `http.ServerResponse`. */
export interface WebhookResponse extends http.ServerResponse {
	status(code: number): WebhookResponse;
	json(body: unknown): WebhookResponse;
	send(body?: unknown): WebhookResponse;
}

function expressLike(res: http.ServerResponse): WebhookResponse {
	const response = res as WebhookResponse;
	response.status = (code) => {
		res.statusCode = code;
		return response;
	};
	response.json = (body) => {
		if (!res.headersSent) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return response;
	};
	response.send = (body) => {
		if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body))
			return response.json(body);
		res.end(body === undefined ? '' : (body as string | Buffer));
		return response;
	};
	return response;
}

/** n8n's rawBodyReader + parseBody, for the content types Bitrix24 and our tests send. */
async function readBody(req: WebhookRequest): Promise<'ok' | 'tooLarge'> {
	parseIncomingMessage(req as never);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > PAYLOAD_SIZE_MAX) return 'tooLarge';
		chunks.push(chunk as Buffer);
	}
	req.rawBody = Buffer.concat(chunks);
	req._body = true;
	req.readRawBody = async () => {};
	const text = req.rawBody.toString(req.encoding ?? 'utf8');
	if (req.rawBody.length > 0 && req.contentType === 'application/x-www-form-urlencoded') {
		req.body = parseQueryString(text, undefined, undefined, { maxKeys: 1000 });
	} else if (req.rawBody.length > 0 && req.contentType === 'application/json') {
		req.body = JSON.parse(text);
	}
	if (!req.body) req.body = {};
	return 'ok';
}

export interface Answer {
	status: number;
	body: string;
}

export type WebhookRoute = (
	req: WebhookRequest,
	res: WebhookResponse,
	isTest: boolean,
) => Promise<void>;

/** The n8n instance's webhook endpoint. */
export class N8nWebhookServer {
	private readonly server: http.Server;
	private readonly routes = new Map<string, WebhookRoute>();
	url = '';

	constructor() {
		this.server = http.createServer(
			(req, res) => void this.dispatch(req as WebhookRequest, expressLike(res)),
		);
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	route(path: string, handler: WebhookRoute): void {
		this.routes.set(path, handler);
	}

	/** POSTs a body to a URL of this server (a forged or hand-made event). */
	async post(
		url: string,
		body: string | Buffer,
		contentType = 'application/x-www-form-urlencoded',
	): Promise<Answer> {
		const response = await fetch(url, {
			method: 'POST',
			body,
			headers: { 'Content-Type': contentType },
		});
		return { status: response.status, body: await response.text() };
	}

	private async dispatch(req: WebhookRequest, res: WebhookResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		const isTest = url.pathname.startsWith('/webhook-test/');
		const route = req.method === 'POST' ? this.routes.get(url.pathname) : undefined;
		if (!route) {
			res.status(404).json({ code: 404, message: 'The requested webhook is not registered.' });
			return;
		}
		req.query = Object.fromEntries(url.searchParams);
		req.params = {};
		if ((await readBody(req)) === 'tooLarge') {
			res.status(413).json({ code: 413, message: 'request entity too large' });
			return;
		}
		await route(req, res, isTest);
	}
}
