/**
 * The client-side leaky bucket (issue 5): one per portal, shared by every execution in the
 * process, sized from the credential's plan, keeps n8n under the portal's limit by itself. The
 * sandbox enforces the limit exactly (a request that finds its counter above the burst gets 503);
 * zero 503s and its peak counter prove we stayed below. Sizes are chosen to go just past the burst,
 * so that the limiter must hold requests back, while the tests stay short.
 */
import { PLAN_LIMITS } from '../../../../sandbox';
import { resetRateLimiters } from '../../../../nodes/Bitrix24Telephony/transport/rateLimiter';
import { usePortal } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';
import {
	callItems,
	expectEachRegisteredOnce,
	expectOutputInOrder,
	processed,
	registerParameters,
} from './calls';

function statuses(requests: Array<{ status: number }>): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const { status } of requests) counts[status] = (counts[status] ?? 0) + 1;
	return counts;
}

describe('standard plan (burst 50, 2/s)', () => {
	const { portal } = usePortal({ rateLimit: { ...PLAN_LIMITS.standard } });

	beforeEach(() => {
		portal().clearRequests();
		portal().state.activeCalls.length = 0;
		portal().limits.reset();
		resetRateLimiters();
	});

	const credentials = () => ({
		bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'standard' },
	});

	test('two executions at once, one request per item, 60 requests together: they share one bucket, zero 503s', async () => {
		const first = callItems(30, 'exec-a');
		const second = callItems(30, 'exec-b').map((item, i) => ({
			...item,
			phone: `+4931${String(i).padStart(7, '0')}`,
		}));
		const run = (items: typeof first) =>
			runNode({
				credentials: credentials(),
				parameters: registerParameters({ batching: false }),
				items,
			});
		const [a, b] = await Promise.all([run(first), run(second)]);

		expect(statuses(portal().requests)).toEqual({ 200: 60 });
		expect(portal().limits.stats()).toMatchObject({ accepted: 60, rejected503: 0 });
		expect(portal().limits.stats().peakCounter).toBeLessThanOrEqual(PLAN_LIMITS.standard.burst);
		expectOutputInOrder(a, first);
		expectOutputInOrder(b, second);
		for (const [result, items] of [
			[a, first],
			[b, second],
		] as const) {
			for (const [i, item] of items.entries()) {
				const calls = portal().state.activeCalls.filter((c) => c.externalCallId === item.id);
				expect(calls.map((c) => [c.callId, c.registerCount])).toEqual([
					[result.items[i].json.CALL_ID, 1],
				]);
			}
		}
	});

	test('a CDR import larger than the burst: 3,000 registers in 61 batches, zero 503s', async () => {
		// 60 batches at ~40 ms each would outrun the portal's drain (51 + 2/s) without the limiter.
		const items = callItems(3000, 'cdr');
		const result = await runNode({
			credentials: credentials(),
			parameters: registerParameters(),
			items,
			continueOnFail: true,
		});

		expect(result.status).toBe('success');
		// 20 commands first (no server time known yet), then 50 each.
		expect(portal().requests.map((r) => r.batchCommands?.length)).toEqual([
			20,
			...Array(59).fill(50),
			30,
		]);
		expect(statuses(portal().requests)).toEqual({ 200: 61 });
		expect(portal().limits.stats()).toMatchObject({ rejected503: 0 });
		expect(portal().limits.stats().peakCounter).toBeLessThanOrEqual(PLAN_LIMITS.standard.burst);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	});
});

describe('enterprise plan (burst 250, 5/s), from the credential', () => {
	const { portal } = usePortal({ rateLimit: { ...PLAN_LIMITS.enterprise } });

	test('260 single requests (batching off) go past the burst without one 503', async () => {
		resetRateLimiters();
		const items = callItems(260, 'ent');
		const result = await runNode({
			credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'enterprise' } },
			parameters: registerParameters({ batching: false }),
			items,
		});

		expect(result.status).toBe('success');
		expect(processed(portal())).toHaveLength(260);
		expect(portal().limits.stats()).toMatchObject({ accepted: 260, rejected503: 0 });
		expect(portal().limits.stats().peakCounter).toBeLessThanOrEqual(PLAN_LIMITS.enterprise.burst);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	});
});
