/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * One PBX burst through the queue: BURST.calls "call started" webhooks, spread evenly over
 * BURST.withinMs, posted to the webhook process; then waiting until every execution the burst
 * started has ended, and reading what happened from PostgreSQL, the portal and the workers' logs.
 */
import { DEMO_SEED as SEED } from '../../scripts/n8n-runtime/demoSeed';
import { pbxCallStarted } from '../../scripts/n8n-runtime/examples';
import { waitFor } from '../../scripts/n8n-runtime/processes';
import {
	allEnded,
	readQueueExecutions,
	type QueueExecution,
} from '../../scripts/n8n-runtime/queue/executions';
import { postToWebhook } from '../../scripts/n8n-runtime/server';
import type { LoggedRequest } from '../../sandbox';
import type { QueueContext } from './fixture';
import { BURST, SCENARIOS, type ScenarioName } from './scenarios';

/** Generous: at the standard plan's 2 requests per second, 300 calls need 2-4 minutes. */
const BURST_END_TIMEOUT_MS = 540000;

const EXTENSIONS = [SEED.anna.extension, SEED.boris.extension, SEED.chen.extension];

export interface BurstFigures {
	scenario: string;
	workers: number;
	processes: number;
	calls: number;
	/** From the first webhook posted to the last execution ended. */
	seconds: number;
	callsPerSecond: number;
	/** 503 QUERY_LIMIT_EXCEEDED answers the portal sent. */
	rejected503: number;
	/** The most 503s one call got before it was registered (the node gives up after 12). */
	most503sForOneCall: number;
	/** The portal's leaky-bucket counter at its highest (it refuses above its burst). */
	peakCounter: number;
	/** Executions that ended in an error (a call not registered). */
	failedExecutions: number;
	/** Executions per worker, from their logs. */
	perWorker: number[];
}

export interface BurstOutcome {
	figures: BurstFigures;
	/** The linkedid of every call posted. */
	linkedIds: string[];
	webhookStatuses: number[];
	executions: QueueExecution[];
	/** Register requests the portal answered with a result, by EXTERNAL_CALL_ID. */
	registeredByLinkedId: Map<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The executions each worker took, from its log ("Worker started execution N (job M)"). */
function executionsPerWorker(context: QueueContext, ids: Set<string>): number[] {
	return context.workers.map((worker) => {
		const started = [...worker.process.log.matchAll(/Worker started execution (\d+)/g)];
		return started.filter((match) => ids.has(match[1])).length;
	});
}

/** Register requests per EXTERNAL_CALL_ID that got the answer `status` (200: with a result). */
function registersAnswered(requests: LoggedRequest[], status: number): Map<string, number> {
	const counts = new Map<string, number>();
	for (const request of requests) {
		if (request.restMethod !== 'telephony.externalcall.register' || request.status !== status)
			continue;
		const response = request.response as { result?: unknown } | undefined;
		if (status === 200 && !response?.result) continue;
		const linkedId = String(request.params.EXTERNAL_CALL_ID);
		counts.set(linkedId, (counts.get(linkedId) ?? 0) + 1);
	}
	return counts;
}

export async function runBurst(context: QueueContext, name: ScenarioName): Promise<BurstOutcome> {
	const scenario = SCENARIOS[name];
	const portal = context.portals[name];
	const url = context.webhook.webhookUrl(scenario.webhookPath);
	const linkedIds = Array.from(
		{ length: BURST.calls },
		(_, index) => `${name}.${1710140000 + index}.${index}`,
	);
	const startedAt = Date.now();
	const webhookStatuses = await Promise.all(
		linkedIds.map(async (linkedid, index) => {
			await sleep((index * BURST.withinMs) / BURST.calls);
			const call = pbxCallStarted({
				linkedid,
				from: `+49151${String(5000000 + index).padStart(7, '0')}`,
				extension: EXTENSIONS[index % EXTENSIONS.length],
				line: SEED.line,
			});
			return (await postToWebhook(url, { ...call })).status;
		}),
	);

	const executions = await waitFor(
		`the ${BURST.calls} executions of "${scenario.name}" to end`,
		async () => {
			const stored = await readQueueExecutions(context.postgres, scenario.workflowId);
			return stored.length >= BURST.calls && allEnded(stored) ? stored : undefined;
		},
		BURST_END_TIMEOUT_MS,
		1000,
	);
	const lastEnd = Math.max(...executions.map((e) => Date.parse(e.stoppedAt as string)));
	const seconds = (lastEnd - startedAt) / 1000;
	const stats = portal.limits.stats();
	const refusals = [...registersAnswered(portal.requests, 503).values()];
	return {
		linkedIds,
		webhookStatuses,
		executions,
		registeredByLinkedId: registersAnswered(portal.requests, 200),
		figures: {
			scenario: scenario.name,
			workers: context.workers.length,
			processes: scenario.processes,
			calls: BURST.calls,
			seconds: Math.round(seconds * 10) / 10,
			callsPerSecond: Math.round((BURST.calls / seconds) * 100) / 100,
			rejected503: stats.rejected503,
			most503sForOneCall: Math.max(0, ...refusals),
			peakCounter: Math.round(stats.peakCounter * 10) / 10,
			failedExecutions: executions.filter((e) => e.status !== 'success').length,
			perWorker: executionsPerWorker(context, new Set(executions.map((e) => e.id))),
		},
	};
}
