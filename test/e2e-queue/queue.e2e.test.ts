/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Our package in n8n's own distributed engine: queue mode with Redis and PostgreSQL, a main
 * process, a webhook process and two workers, the package installed as a community package for
 * all of them. PBX bursts go through the webhook process to the workers and on to sandbox
 * portals with the standard plan's limits; a Bitrix24 event reaches the trigger twice. The tests
 * run in the order written (the one-worker burst stops a worker). The figures each burst
 * produced are printed at the end (and written to $QUEUE_FIGURES_FILE when set): they are
 * measurements, never asserted.
 */
import * as fs from 'fs';

import { runBurst, type BurstFigures, type BurstOutcome } from './burst';
import { clickToCallDeliveredTwice, sameDeliveryToMain } from './clickToCall';
import { useQueueCluster } from './fixture';
import { BURST, SCENARIOS, type ScenarioName } from './scenarios';

const cluster = useQueueCluster();
const figures: BurstFigures[] = [];

afterAll(() => {
	if (figures.length === 0) return;
	process.stderr.write(`\n[queue] Burst figures:\n${JSON.stringify(figures, null, 2)}\n`);
	if (process.env.QUEUE_FIGURES_FILE)
		fs.writeFileSync(process.env.QUEUE_FIGURES_FILE, JSON.stringify(figures, null, 2));
});

/**
 * Whatever the setting: every webhook accepted, every call executed once, no call registered
 * twice, and every call not registered is a failed execution (visible in n8n), never a silent loss.
 */
function expectNothingDoubledNothingSilent(outcome: BurstOutcome): void {
	expect(outcome.webhookStatuses.filter((status) => status !== 200)).toEqual([]);
	expect(outcome.executions).toHaveLength(BURST.calls);
	expect(outcome.executions.every((execution) => execution.mode === 'webhook')).toBe(true);
	const ended = outcome.executions.map((execution) => execution.status);
	expect(ended.filter((status) => status !== 'success' && status !== 'error')).toEqual([]);
	const twice = [...outcome.registeredByLinkedId].filter(([, count]) => count > 1);
	expect(twice).toEqual([]);
	const notRegistered = outcome.linkedIds.filter((id) => !outcome.registeredByLinkedId.has(id));
	expect(notRegistered).toHaveLength(outcome.figures.failedExecutions);
	expect(outcome.registeredByLinkedId.size + notRegistered.length).toBe(BURST.calls);
}

/** Runs one burst, records its figures, and checks what must hold whatever the setting. */
async function burst(name: ScenarioName): Promise<BurstOutcome> {
	const context = cluster();
	expect(context.workers).toHaveLength(SCENARIOS[name].workers);
	const outcome = await runBurst(context, name);
	figures.push(outcome.figures);
	expectNothingDoubledNothingSilent(outcome);
	// Every worker running took its part of the burst.
	expect(outcome.figures.perWorker.every((count) => count > 0)).toBe(true);
	expect(outcome.figures.perWorker.reduce((a, b) => a + b, 0)).toBe(BURST.calls);
	return outcome;
}

/** With the setting right for the topology: all registered, no execution failed, no 503. */
async function burstWithinTheLimit(name: ScenarioName): Promise<void> {
	const outcome = await burst(name);
	expect(outcome.figures.failedExecutions).toBe(0);
	expect(outcome.registeredByLinkedId.size).toBe(BURST.calls);
	expect(cluster().portals[name].state.activeCalls).toHaveLength(BURST.calls);
	expect(outcome.figures.rejected503).toBe(0);
}

describe(`n8n queue mode: a burst of ${BURST.calls} PBX webhooks in ${BURST.withinMs / 1000} s, executed by the workers`, () => {
	it(`${SCENARIOS.sharedByThree.name}: every call registered exactly once, and the portal never refuses`, async () => {
		await burstWithinTheLimit('sharedByThree');
	});

	it(`${SCENARIOS.sharedByTwo.name}: every call registered exactly once, and the portal never refuses`, async () => {
		await burstWithinTheLimit('sharedByTwo');
	});

	// Each worker keeps to the whole limit, so together they offer twice what the portal takes:
	// about 4 in 10 attempts are refused, and a call may need several retries. The node retries a
	// 503 eight times; how many calls that saves is measured (most503sForOneCall, failedExecutions).
	it(`${SCENARIOS.unshared.name}: the workers together overrun the portal; its 503s are retried, no call is registered twice, and a call the retries cannot save is a failed execution, never lost silently`, async () => {
		const outcome = await burst('unshared');
		expect(outcome.figures.rejected503).toBeGreaterThan(0);
	});

	it(`${SCENARIOS.enterpriseTwoWorkers.name}: every call registered exactly once, and the portal never refuses`, async () => {
		await burstWithinTheLimit('enterpriseTwoWorkers');
	});

	describe('after one worker is stopped', () => {
		beforeAll(async () => {
			const context = cluster();
			const stopped = context.workers.pop();
			if (stopped) await context.safety.stopOne(stopped.name);
		}, 60000);

		it(`${SCENARIOS.oneWorker.name}: every call registered exactly once, and the portal never refuses`, async () => {
			await burstWithinTheLimit('oneWorker');
		});

		it(`${SCENARIOS.enterpriseOneWorker.name}: every call registered exactly once, and the portal never refuses`, async () => {
			await burstWithinTheLimit('enterpriseOneWorker');
		});
	});
});

describe('n8n queue mode: the click-to-call trigger', () => {
	let first: Awaited<ReturnType<typeof clickToCallDeliveredTwice>> | undefined;

	it('one Bitrix24 event delivered twice to the webhook process starts one execution; the call is originated and finished once', async () => {
		const context = cluster();
		first = await clickToCallDeliveredTwice(context);
		const { callId, deliveries, executions } = first;
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		expect(deliveries[1].body).toContain('ignored');
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ status: 'success', mode: 'webhook' });
		expect(context.pbx.originates).toHaveLength(1);
		expect(
			context.triggerPortal.state.statistics.filter((call) => call.callId === callId),
		).toHaveLength(1);
	});

	it('the same delivery reaching another n8n process (the main one) starts a second execution, whose Finish Bitrix24 refuses: the call is still finished once', async () => {
		const context = cluster();
		if (!first) throw new Error('The first click-to-call test did not run');
		const { status, executions } = await sameDeliveryToMain(context, first.deliveries[0]);
		expect(status).toBe(200);
		expect(executions).toHaveLength(2);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'error']);
		// The PBX was asked twice (the client's phone rang twice): the cost of the duplicate.
		expect(context.pbx.originates).toHaveLength(2);
		expect(
			context.triggerPortal.state.statistics.filter((call) => call.callId === first?.callId),
		).toHaveLength(1);
	});
});
