/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * One measured run: N registers through n8n's engine on a fresh portal, checked (a fast wrong
 * answer is no benchmark), then the floor for the same requests: the node's own requests replayed
 * back to back by a client that costs nothing, on another fresh portal.
 */
import { performance } from 'perf_hooks';

import type { INodeParameters } from 'n8n-workflow';

import { PLAN_LIMITS } from '../sandbox/limits';
import type { SandboxOptions } from '../sandbox/types';
import { runNode } from '../test/helpers/workflowRunner';
import { sequentialFloorMs, type PortalLimits } from './floor';
import { MemorySampler, type MemoryFigures } from './memory';
import { firstRequestMs, nodeTimes, resetTiming } from './nodeTiming';
import { REPLAY_MAX, RTT_MS, type Mode } from './options';
import type { PortalClient } from './portalClient';
import { replay } from './rawClient';

export const STANDARD: PortalLimits = PLAN_LIMITS.standard;

export interface RunFigures {
	items: number;
	mode: Mode;
	/** Our node's execution time. */
	ms: number;
	/** From the start of the execution to its first request: reading and validating the items. */
	firstRequestMs: number;
	requests: number;
	status503: number;
	/** The same requests, sent back to back by a zero-cost client, under the portal's bucket. */
	floorMs: number;
	memory: MemoryFigures;
	problems: string[];
}

export function registerParameters(batching = true): INodeParameters {
	return {
		resource: 'call',
		operation: 'register',
		userIdentification: 'extension',
		userPhoneInner: '101',
		phoneNumber: '={{ $json.phone }}',
		type: 2,
		additionalFields: { externalCallId: '={{ $json.id }}', show: false, crmCreate: false },
		options: { batching },
	};
}

const portalOptions: SandboxOptions = {
	seed: 'demo',
	rateLimit: { ...STANDARD },
	latencyMs: RTT_MS,
};

export async function runRegisters(
	portal: PortalClient,
	items: number,
	mode: Mode,
): Promise<RunFigures> {
	const { webhookUrl } = await portal.start(portalOptions);
	const tag = `${mode}-${items}`;
	const input = Array.from({ length: items }, (_, i) => ({
		phone: `+49301${String(i).padStart(7, '0')}`,
		id: `${tag}-${i}`,
	}));
	const memory = new MemorySampler();
	resetTiming({ onFinish: () => memory.finish() });
	const start = performance.now();
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl, plan: 'standard' } },
		parameters: registerParameters(),
		items: input,
		continueOnFail: mode === 'continue',
	});
	const workflowMs = performance.now() - start;
	memory.finish();
	const stats = await portal.stats();
	const sent = await portal.bodies();

	const problems: string[] = [];
	if (result.status !== 'success')
		problems.push(`status ${result.status}: ${result.error?.message}`);
	if (result.items.length !== items) problems.push(`${result.items.length} items out of ${items}`);
	const misplaced = result.items.findIndex(
		(item, i) =>
			typeof item.json.CALL_ID !== 'string' ||
			(item.pairedItem as { item: number }).item !== i ||
			(item.json.call as { phoneNumber?: string })?.phoneNumber !== input[i].phone,
	);
	if (misplaced !== -1) problems.push(`item ${misplaced} failed, out of order or unpaired`);
	if (stats.calls !== items || stats.distinctExternalIds !== items || stats.maxRegisterCount !== 1)
		problems.push(
			`portal has ${stats.calls} calls, ${stats.distinctExternalIds} distinct ids, max registerCount ${stats.maxRegisterCount}`,
		);

	// The floor: the same requests, replayed on a fresh portal (so it does the same work).
	const replayed = await portal.start(portalOptions);
	const rtts = await replay(replayed.webhookUrl, sent.slice(0, REPLAY_MAX));
	const floorMs = sequentialFloorMs(sent.length, (k) => rtts[k % rtts.length], STANDARD);

	return {
		items,
		mode,
		ms: nodeTimes[0] ?? workflowMs,
		firstRequestMs: firstRequestMs ?? 0,
		requests: stats.requests,
		status503: stats.byStatus['503'] ?? 0,
		floorMs,
		memory: memory.result(),
		problems,
	};
}
