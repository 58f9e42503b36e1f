/**
 * What the node adds to one register (the real-time case: the call card must pop up while the
 * phone rings): its execution time minus the raw HTTP round trip of the same request to the same
 * portal, interleaved, medians over `reps`, with where the milliseconds go. Enterprise limits, so
 * that no limiter wait enters either figure.
 */
import { PLAN_LIMITS } from '../sandbox/limits';
import { runNode } from '../test/helpers/workflowRunner';
import { nodeTimes, phases, resetTiming, type Phases } from './nodeTiming';
import { RTT_MS } from './options';
import type { PortalClient } from './portalClient';
import { rawPost } from './rawClient';
import { registerParameters } from './registers';

export interface Overhead {
	nodeMedian: number;
	nodeP90: number;
	rawMedian: number;
	rawP90: number;
	addedMedian: number;
	/** Medians of each phase, and of the rest (limiter, classification, output, the executor). */
	phases: Phases & { rest: number };
}

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}

function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

export async function measureOverhead(portal: PortalClient, reps: number): Promise<Overhead> {
	const { webhookUrl } = await portal.start({
		seed: 'demo',
		rateLimit: { ...PLAN_LIMITS.enterprise },
		latencyMs: RTT_MS,
	});
	const node: number[] = [];
	const raw: number[] = [];
	const perPhase: Array<Phases & { rest: number }> = [];
	const warmup = 5;
	for (let i = 0; i < reps + warmup; i++) {
		resetTiming({ phases: true });
		const result = await runNode({
			credentials: { bitrix24WebhookApi: { webhookUrl, plan: 'enterprise' } },
			parameters: registerParameters(),
			items: [{ phone: `+49302${String(i).padStart(7, '0')}`, id: `one-node-${i}` }],
		});
		if (typeof result.items[0]?.json.CALL_ID !== 'string')
			throw new Error(`single register failed: ${result.error?.message}`);
		const { ms, answer } = await rawPost(`${webhookUrl}telephony.externalcall.register.json`, {
			USER_PHONE_INNER: '101',
			PHONE_NUMBER: `+49303${String(i).padStart(7, '0')}`,
			TYPE: 2,
			SHOW: 0,
			CRM_CREATE: 0,
			EXTERNAL_CALL_ID: `one-raw-${i}`,
		});
		if (!(answer as { result?: unknown }).result) throw new Error('raw register failed');
		if (i < warmup) continue;
		node.push(nodeTimes[0]);
		raw.push(ms);
		const measured = Object.values(phases).reduce((a, b) => a + b, 0);
		perPhase.push({ ...phases, rest: nodeTimes[0] - measured });
	}
	const phaseMedians = Object.fromEntries(
		Object.keys(perPhase[0]).map((key) => [
			key,
			median(perPhase.map((p) => p[key as keyof typeof p])),
		]),
	) as unknown as Overhead['phases'];
	return {
		nodeMedian: median(node),
		nodeP90: percentile(node, 90),
		rawMedian: median(raw),
		rawP90: percentile(raw, 90),
		addedMedian: median(node) - median(raw),
		phases: phaseMedians,
	};
}
