/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * The bench's handle on the sandbox portal running in a child process (bench/portalProcess.ts).
 */
import { fork, type ChildProcess } from 'child_process';
import { join } from 'path';

import type { SandboxOptions } from '../sandbox/types';
import type { PortalCommand, PortalStats, SentRequest } from './portalProcess';

export class PortalClient {
	private readonly child: ChildProcess;
	private nextId = 1;
	private readonly pending = new Map<
		number,
		{ resolve: (v: unknown) => void; reject: (e: Error) => void }
	>();

	constructor() {
		// fork() reuses this process's execArgv, i.e. tsx's loader.
		this.child = fork(join(__dirname, 'portalProcess.ts'), [], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		});
		this.child.on(
			'message',
			(message: { id: number; ok: boolean; value?: unknown; error?: string }) => {
				const waiter = this.pending.get(message.id);
				this.pending.delete(message.id);
				if (message.ok) waiter?.resolve(message.value);
				else waiter?.reject(new Error(message.error));
			},
		);
	}

	private ask<T>(
		command: PortalCommand extends infer C
			? C extends PortalCommand
				? Omit<C, 'id'>
				: never
			: never,
	): Promise<T> {
		const id = this.nextId++;
		return new Promise<T>((resolve, reject) => {
			this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
			this.child.send({ ...command, id });
		});
	}

	start(options: SandboxOptions): Promise<{ url: string; webhookUrl: string }> {
		return this.ask({ cmd: 'start', options });
	}

	stats(): Promise<PortalStats> {
		return this.ask({ cmd: 'stats' });
	}

	/** The REST requests the portal answered with 200, in order. */
	bodies(): Promise<SentRequest[]> {
		return this.ask({ cmd: 'bodies' });
	}

	close(): Promise<null> {
		return this.ask({ cmd: 'close' });
	}
}
