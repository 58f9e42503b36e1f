/**
 * 429 OPERATION_TIME_LIMIT (issue 5, docs/bitrix24-fidelity.md row 36), provoked the way a portal produces it: the
 * sandbox's per-method time budget (every register costs 1 s of "server time", a 10-minute window
 * of one-minute buckets), driven by its clock. That clock is set ~100 minutes away from ours on
 * purpose: Bitrix24 reports `operating_reset_at` on its own clock, and the node must translate it
 * (through `time.finish` of the same answer), not compare it with n8n's clock.
 *
 * Far reset → the item fails at once, saying when the block lifts. Near reset (Bitrix24 said so in
 * a recent answer) → the node waits for it and sends again; Bitrix24 checks the budget before
 * running a method, so nothing refused was executed, and the call table shows each call once.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { runNode } from '../../../helpers/workflowRunner';
import {
	callItems,
	expectEachRegisteredOnce,
	expectOutputInOrder,
	registerParameters,
	sentIds,
	type CallItem,
} from './calls';

const MINUTE = 60_000;
/** A minute of the portal's clock, 100 minutes ahead of ours. */
const M = Math.floor(Date.now() / MINUTE) + 100;

let sandbox: Sandbox;
let offset = 0;
/** Puts the portal's clock at `ms` (it runs on from there in real time). */
const portalClockAt = (ms: number) => {
	offset = ms - Date.now();
};

async function startPortal(limitSeconds: number): Promise<void> {
	offset = 0;
	sandbox = await startSandbox({
		seed: 'demo',
		operatingLimit: { limitSeconds, costSecondsPerCall: 1 },
		now: () => Date.now() + offset,
	});
}

afterEach(async () => {
	await sandbox.close();
});

async function register(
	items: CallItem[],
	options: { batching?: boolean; continueOnFail?: boolean } = {},
) {
	return await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl } },
		parameters: registerParameters(options.batching === false ? { batching: false } : {}),
		items,
		continueOnFail: options.continueOnFail,
	});
}

/** Spends `count` seconds of the register budget at M:00:01 (one batch of `count` registers). */
async function spendBudgetAtMinuteM(count: number): Promise<void> {
	portalClockAt(M * MINUTE + 1_000);
	const result = await register(
		callItems(count, 'earlier').map((item, i) => ({
			...item,
			phone: `+4939${String(i).padStart(7, '0')}`,
		})),
	);
	expect(result.status).toBe('success');
	sandbox.clearRequests();
	sandbox.state.activeCalls.length = 0;
}

function expectLiftsInAboutTenMinutes(description: unknown): void {
	const iso = /It lifts at (\S+)\./.exec(String(description))?.[1];
	expect(iso).toBeDefined();
	const inMs = Date.parse(String(iso)) - Date.now();
	expect(inMs).toBeGreaterThan(9 * MINUTE);
	expect(inMs).toBeLessThan(10.5 * MINUTE);
}

describe('one request per item', () => {
	test('the block lifts in ~10 minutes: fails at once and says when, nothing repeated', async () => {
		await startPortal(2);
		await spendBudgetAtMinuteM(3);
		const items = callItems(1, 'far-single');
		const result = await register(items);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Bitrix24 has blocked telephony.externalcall.register for exceeding its server-time budget (Bitrix24: OPERATION_TIME_LIMIT "Method is blocked due to operation time limit.")',
		);
		expect(result.error?.httpCode).toBe('429');
		expectLiftsInAboutTenMinutes(result.error?.description);
		expect(result.error?.description).toContain('Run the workflow again later');
		expect(sandbox.requests.map((r) => r.status)).toEqual([429]);
		expect(sandbox.state.activeCalls).toEqual([]);
	});

	test('Bitrix24 said the block lifts in 3 s: the node waits for it, and the call is registered once', async () => {
		await startPortal(2);
		await spendBudgetAtMinuteM(2);
		// 3 s before minute M leaves the 10-minute window.
		portalClockAt((M + 9) * MINUTE + 57_000);
		const items = callItems(2, 'near-single');
		const result = await register(items, { batching: false });

		expect(result.status).toBe('success');
		// Item 0 uses the last second of the budget (its answer says operating_reset_at is 3 s
		// away), item 1 is refused, waits, goes again.
		expect(sandbox.requests.map((r) => [r.restMethod, r.status])).toEqual([
			['telephony.externalcall.register', 200],
			['telephony.externalcall.register', 429],
			['telephony.externalcall.register', 200],
		]);
		expect(sandbox.requests.map(sentIds).flat()).toEqual([items[0].id, items[1].id, items[1].id]);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(sandbox, result, items);
	});
});

describe('inside a batch (Bitrix24 counts each command against its own method)', () => {
	test.each([
		['with Continue On Fail (halt=0: the blocked commands are refused one by one)', true],
		['without Continue On Fail (halt=1: the batch stops at the first blocked command)', false],
	])(
		'the block lifts in 3 s, %s: the refused items wait and go again, each call once, in order',
		async (_name, continueOnFail) => {
			await startPortal(5);
			await spendBudgetAtMinuteM(5);
			portalClockAt((M + 9) * MINUTE + 57_000);
			const items = callItems(4, `near-batch-${String(continueOnFail)}`);
			const result = await register(items, { continueOnFail });

			expect(result.status).toBe('success');
			expect(sandbox.requests.map((r) => [r.restMethod, r.status])).toEqual([
				['batch', 200],
				['batch', 200],
			]);
			const firstAnswer = sandbox.requests[0].response as {
				result: { result_error: Record<string, { error: string }> };
			};
			expect(Object.values(firstAnswer.result.result_error).map((e) => e.error)).toEqual(
				continueOnFail
					? ['OPERATION_TIME_LIMIT', 'OPERATION_TIME_LIMIT', 'OPERATION_TIME_LIMIT']
					: ['OPERATION_TIME_LIMIT'],
			);
			// The second batch carries exactly the items Bitrix24 did not run.
			expect(sandbox.requests.map(sentIds)).toEqual([
				items.map((i) => i.id),
				items.slice(1).map((i) => i.id),
			]);
			expectOutputInOrder(result, items);
			expectEachRegisteredOnce(sandbox, result, items);
		},
	);

	test('the block lifts in ~10 minutes: the refused item fails clearly, the others are registered, one request', async () => {
		await startPortal(2);
		portalClockAt(M * MINUTE + 1_000);
		const items = callItems(4, 'far-batch');
		const result = await register(items, { continueOnFail: true });

		expect(sandbox.requests).toHaveLength(1);
		expectOutputInOrder(result, items, [3]);
		expect(result.items[3].json.error).toBe(
			'Bitrix24 has blocked telephony.externalcall.register for exceeding its server-time budget (Bitrix24: OPERATION_TIME_LIMIT "Method is blocked due to operation time limit.")',
		);
		expectLiftsInAboutTenMinutes(result.items[3].error?.description);
		expectEachRegisteredOnce(sandbox, result, items, [0, 1, 2]);
	});
});
