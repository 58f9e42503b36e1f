/**
 * Log Completed Call imports against a portal that counts server time (issue 23 §2): the sandbox's
 * per-method server time runs on a virtual clock (docs/bitrix24-fidelity.md rows 41–43), so a
 * batch of 2-s registers and 3-s finishes "takes" its minutes without the test waiting for them.
 *
 * - batches are sized from the reported `result_time`, so an import whose single batch would take
 *   250 s never meets the 60-second cut-off;
 * - a batch that does get cut off (the portal is slower than the node's limit assumes) is
 *   recovered call by call: each call registered and finished once;
 * - an import that spends more than its operating budget waits for it instead of being refused.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../../sandbox';
import { webhookCredentials } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';

let sandbox: Sandbox;
afterEach(async () => {
	await sandbox?.close();
});

const SLOW = { 'telephony.externalcall.register': 2, 'telephony.externalcall.finish': 3 };

async function importCalls(
	count: number,
	options: SandboxOptions,
	extra: { callStartDate?: string; operatingBudget?: number; prefix?: string } = {},
) {
	sandbox = await startSandbox({ seed: 'demo', ...options });
	const prefix = extra.prefix ?? 'cdr';
	return await runNode({
		credentials: webhookCredentials(sandbox),
		parameters: {
			resource: 'call',
			operation: 'logCompletedCall',
			userIdentification: 'extension',
			userPhoneInner: '102',
			phoneNumber: '={{ $json.phone }}',
			type: 2,
			duration: 30,
			statusCode: '200',
			additionalFields: {
				externalCallId: '={{ $json.id }}',
				...(extra.callStartDate ? { callStartDate: extra.callStartDate } : {}),
			},
			options:
				extra.operatingBudget === undefined ? {} : { operatingBudget: extra.operatingBudget },
		} as never,
		items: Array.from({ length: count }, (_, i) => ({
			id: `${prefix}-${i}`,
			phone: `+4930555${String(i).padStart(4, '0')}`,
		})),
		continueOnFail: true,
	});
}

/** Each call finished exactly once, and no call left registered but unfinished. */
function expectEachLoggedOnce(count: number, prefix = 'cdr'): void {
	for (let i = 0; i < count; i++) {
		const id = `${prefix}-${i}`;
		expect([
			id,
			sandbox.state.statistics.filter((s) => s.call.externalCallId === id).length,
		]).toEqual([id, 1]);
	}
	expect(sandbox.state.activeCalls).toHaveLength(0);
}

test('an import of 50 calls whose single batch would take 250 s of server time is sent in batches that fit, each call logged once', async () => {
	const result = await importCalls(50, { serverTime: { perMethod: SLOW } });

	expect(result.status).toBe('success');
	expect(result.items.map((i) => i.json.EXTERNAL_CALL_ID)).toEqual(
		Array.from({ length: 50 }, (_, i) => `cdr-${i}`),
	);
	expect(result.items.every((i) => i.error === undefined)).toBe(true);
	expectEachLoggedOnce(50);
	expect(sandbox.requests.filter((r) => r.fault === 'requestTimeLimit')).toEqual([]);
	// The first batch starts from the conservative estimate (10 calls); later ones are sized from
	// result_time: 20 s of 5-s calls = 4 calls.
	const sizes = sandbox.requests.map((r) => (r.batchCommands?.length ?? 1) / 2);
	expect(sizes[0]).toBe(10);
	expect(sizes.slice(1).every((size) => size === 4 || size < 4)).toBe(true);
	expect(sizes.reduce((a, b) => a + b, 0)).toBe(50);
});

test('a batch cut off by the portal between two calls is recovered from the call history: each call logged once, every item a success', async () => {
	// The portal stops requests at 26 s: the first batch (10 calls, 50 s) is cut before the 6th call.
	const result = await importCalls(20, {
		serverTime: { perMethod: SLOW, requestLimitSeconds: 26 },
	});

	expect(result.items.filter((i) => i.error).map((i) => i.json.error)).toEqual([]);
	expect(result.items).toHaveLength(20);
	expectEachLoggedOnce(20);
	expect(sandbox.requests[0].fault).toBe('requestTimeLimit');
	// The recovery looked the calls up before sending anything again.
	expect(sandbox.requests[1].restMethod).toBe('voximplant.statistic.get');
});

test('a batch cut off between a recent call’s register and finish: the register is sent again within the 30-minute dedup, so the call is logged once', async () => {
	// Cut at 28 s: the 6th call's register (ends at 27 s) ran, its finish (30 s) did not.
	const result = await importCalls(20, {
		serverTime: { perMethod: SLOW, requestLimitSeconds: 28, cutOffAnswer: 'drop' },
	});

	expect(result.items.filter((i) => i.error).map((i) => i.json.error)).toEqual([]);
	expectEachLoggedOnce(20);
	const sixth = sandbox.state.statistics.find((s) => s.call.externalCallId === 'cdr-5');
	expect(sixth?.call.registerCount).toBe(2);
});

test('the same cut-off with calls from the day before: the one call that may be half done is reported, never registered twice; all others logged once', async () => {
	const result = await importCalls(
		20,
		{ serverTime: { perMethod: SLOW, requestLimitSeconds: 28 } },
		{ callStartDate: '={{ $now.minus({ days: 1 }).toISO() }}' },
	);

	const failed = result.items.filter((i) => i.error);
	expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 5 }]);
	expect(String(failed[0].error?.description)).toContain('Bitrix24 stopped at this call');
	for (let i = 0; i < 20; i++) {
		expect(
			sandbox.state.statistics.filter((s) => s.call.externalCallId === `cdr-${i}`),
		).toHaveLength(i === 5 ? 0 : 1);
	}
	// Registered once, not finished: what the message tells the user to check.
	expect(sandbox.state.activeCalls.map((c) => c.externalCallId)).toEqual(['cdr-5']);
});

test('an import that needs three times its operating budget waits for it: no 429, no error, each call once', async () => {
	// 40 calls spend 12 s of finish and 8 s of register; the budget is 3 s per (scaled) 6-s window.
	const result = await importCalls(
		40,
		{
			serverTime: {
				perMethod: { 'telephony.externalcall.register': 0.2, 'telephony.externalcall.finish': 0.3 },
			},
			operatingLimit: { limitSeconds: 3, windowSeconds: 6 },
		},
		{ operatingBudget: 3 },
	);

	expect(result.items.filter((i) => i.error).map((i) => i.json.error)).toEqual([]);
	expect(result.items).toHaveLength(40);
	expectEachLoggedOnce(40);
	expect(sandbox.requests.filter((r) => r.status === 429)).toEqual([]);
	expect(sandbox.limits.stats().rejected429).toBe(0);
	expect(JSON.stringify(sandbox.requests.map((r) => r.response))).not.toContain(
		'OPERATION_TIME_LIMIT',
	);
});
