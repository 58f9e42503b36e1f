/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * The sandbox portal in its own process, driven over IPC by bench/run.ts. A real portal is on
 * another machine: keeping the sandbox out of the measured process keeps its CPU time off our
 * event loop and its memory (call table, request log) out of our memory figures.
 *
 * Messages in:  { id, cmd: 'start', options } | { id, cmd: 'stats' } | { id, cmd: 'bodies' } |
 *               { id, cmd: 'close' }
 * Messages out: { id, ok: true, value } | { id, ok: false, error }
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox';

export interface PortalStats {
	/** REST requests the portal received (every HTTP request to /rest/). */
	requests: number;
	/** By REST method ('batch', 'telephony.externalcall.register', ...). */
	byMethod: Record<string, number>;
	/** Answers by HTTP status. */
	byStatus: Record<string, number>;
	/** Commands carried inside batch requests. */
	batchCommands: number;
	/** The portal's own processing time of every answered request (its `time.duration`), in ms. */
	processingMs: number[];
	/** When each request arrived (portal clock = Date.now, same machine), in order. */
	arrivals: number[];
	limits: { accepted: number; rejected503: number; rejected429: number; peakCounter: number };
	/** The call table: calls, distinct EXTERNAL_CALL_IDs, and the highest registerCount (1 = never deduplicated). */
	calls: number;
	distinctExternalIds: number;
	maxRegisterCount: number;
	/** Finished calls (the statistics table) and their distinct EXTERNAL_CALL_IDs. */
	finished: number;
	distinctFinishedIds: number;
}

/** A REST request as the portal parsed it, to be replayed by a client that costs nothing. */
export interface SentRequest {
	restMethod: string;
	params: unknown;
}

export type PortalCommand =
	| { id: number; cmd: 'start'; options: SandboxOptions }
	| { id: number; cmd: 'stats' }
	| { id: number; cmd: 'bodies' }
	| { id: number; cmd: 'close' };

let sandbox: Sandbox | undefined;

function stats(portal: Sandbox): PortalStats {
	const byMethod: Record<string, number> = {};
	const byStatus: Record<string, number> = {};
	let batchCommands = 0;
	let requests = 0;
	const processingMs: number[] = [];
	const arrivals: number[] = [];
	for (const request of portal.requests) {
		if (!request.path.startsWith('/rest/')) continue;
		requests++;
		byMethod[request.restMethod] = (byMethod[request.restMethod] ?? 0) + 1;
		byStatus[String(request.status)] = (byStatus[String(request.status)] ?? 0) + 1;
		batchCommands += request.batchCommands?.length ?? 0;
		arrivals.push(request.time);
		const duration = Number(
			(request.response as { time?: { duration?: unknown } } | null)?.time?.duration,
		);
		if (Number.isFinite(duration)) processingMs.push(duration * 1000);
	}
	const calls = portal.state.activeCalls;
	return {
		requests,
		byMethod,
		byStatus,
		batchCommands,
		processingMs,
		arrivals,
		limits: portal.limits.stats(),
		calls: calls.length,
		distinctExternalIds: new Set(calls.map((call) => call.externalCallId)).size,
		maxRegisterCount: calls.reduce((max, call) => Math.max(max, call.registerCount), 0),
		finished: portal.state.statistics.length,
		distinctFinishedIds: new Set(portal.state.statistics.map((row) => row.call.externalCallId))
			.size,
	};
}

async function handle(message: PortalCommand): Promise<unknown> {
	switch (message.cmd) {
		case 'start':
			await sandbox?.close();
			sandbox = await startSandbox(message.options);
			return { url: sandbox.url, webhookUrl: sandbox.webhookUrl };
		case 'stats':
			if (!sandbox) throw new Error('no sandbox');
			return stats(sandbox);
		case 'bodies':
			if (!sandbox) throw new Error('no sandbox');
			return sandbox.requests
				.filter((request) => request.path.startsWith('/rest/') && request.status === 200)
				.map(
					(request): SentRequest => ({ restMethod: request.restMethod, params: request.params }),
				);
		case 'close':
			await sandbox?.close();
			sandbox = undefined;
			setImmediate(() => process.exit(0));
			return null;
	}
}

process.on('message', (message: PortalCommand) => {
	handle(message).then(
		(value) => process.send?.({ id: message.id, ok: true, value }),
		(error: unknown) => process.send?.({ id: message.id, ok: false, error: String(error) }),
	);
});
