/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Four processes (as n8n's queue mode runs several workers) register calls against one portal at
 * once. Each process has its own limiter, so together they overrun the portal: its 503 answers
 * must be absorbed, and no call lost or duplicated.
 */
import { execFile } from 'child_process';
import path from 'path';

import { startSandbox, type Sandbox } from '../../sandbox';

const WORKERS = 4;
const CALLS_PER_WORKER = 30;

let portal: Sandbox;
beforeAll(async () => {
	// A tighter limit than the plan the credential claims: the processes' own limiters let them
	// burst past it, as four workers sharing one portal would.
	portal = await startSandbox({ seed: 'demo', rateLimit: { burst: 20, drainPerSecond: 5 } });
});
afterAll(async () => {
	await portal.close();
});

type WorkerSummary = { status: string; registered: Array<[string, string]>; errors: string[] };

function runWorker(
	prefix: string,
	count = CALLS_PER_WORKER,
	processes = 1,
): Promise<WorkerSummary> {
	const tsx = path.join(__dirname, '../../node_modules/.bin/tsx');
	return new Promise((resolve, reject) => {
		execFile(
			tsx,
			[
				path.join(__dirname, 'concurrentWorker.ts'),
				portal.webhookUrl,
				prefix,
				String(count),
				String(processes),
			],
			{ timeout: 240_000, env: { ...process.env, N8N_USER_FOLDER: process.env.N8N_USER_FOLDER } },
			(error, stdout, stderr) =>
				error
					? reject(new Error(`${error.message}\n${stderr}`))
					: resolve(JSON.parse(stdout.trim().split('\n').pop() as string)),
		);
	});
}

test('four processes against one portal: limit answers absorbed, every call registered once', async () => {
	const prefixes = Array.from({ length: WORKERS }, (_, i) => `worker${i}`);
	const summaries = await Promise.all(prefixes.map((prefix) => runWorker(prefix)));

	const stats = portal.limits.stats();
	// The portal did push back...
	expect(stats.rejected503).toBeGreaterThan(0);
	// ...and nothing was lost: every item of every worker registered, none failed.
	for (const summary of summaries) {
		expect(summary.status).toBe('success');
		expect(summary.errors).toEqual([]);
		expect(summary.registered).toHaveLength(CALLS_PER_WORKER);
	}
	// ...or duplicated: one call per EXTERNAL_CALL_ID, and it is the one the worker reported.
	for (const [index, summary] of summaries.entries()) {
		for (let i = 0; i < CALLS_PER_WORKER; i++) {
			const id = `worker${index}-${i}`;
			const calls = portal.state.activeCalls.filter((c) => c.externalCallId === id);
			expect(calls).toHaveLength(1);
			expect(summary.registered).toContainEqual([id, calls[0].callId]);
		}
	}
}, 300_000);

test('told that four processes share the portal, they keep within its limit: not a single 503', async () => {
	const standard = await startSandbox({
		seed: 'demo',
		rateLimit: { burst: 50, drainPerSecond: 2 },
	});
	const previous = portal;
	portal = standard;
	try {
		const count = 20;
		const summaries = await Promise.all(
			Array.from({ length: WORKERS }, (_, i) => runWorker(`shared${i}`, count, WORKERS)),
		);
		expect(standard.limits.stats().rejected503).toBe(0);
		for (const summary of summaries) {
			expect(summary.errors).toEqual([]);
			expect(summary.registered).toHaveLength(count);
		}
		expect(
			standard.state.activeCalls.filter((c) => c.externalCallId?.startsWith('shared')),
		).toHaveLength(WORKERS * count);
	} finally {
		portal = previous;
		await standard.close();
	}
}, 300_000);
