/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * One HTTP request in flight: what every endpoint handler needs to read it, log it and answer it.
 * Kept apart from server.ts so the endpoint modules can take it without importing the server.
 */
import type * as http from 'http';
import { payloadTooLarge, Reply } from './reply';
import type { SandboxRuntime } from './runtime';
import type { LoggedRequest } from './types';

export interface Exchange {
	runtime: SandboxRuntime;
	req: http.IncomingMessage;
	res: http.ServerResponse;
	url: URL;
	/** This request's row in `sandbox.requests`, filled in as the request is understood. */
	entry: LoggedRequest;
	/** Logs the reply, waits the configured latency, writes it. */
	send(reply: Reply): Promise<void>;
	/** A timer the server clears on close, so a closed sandbox leaves nothing pending. */
	sleep(ms: number): Promise<void>;
}

/** 413, then the socket closes: the rest of an oversized body is never read. */
export async function sendTooLarge({ res, send }: Exchange): Promise<void> {
	res.setHeader('Connection', 'close');
	await send(payloadTooLarge());
	res.on('finish', () => res.socket?.destroy());
}
