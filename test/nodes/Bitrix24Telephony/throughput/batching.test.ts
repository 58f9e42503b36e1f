/**
 * Batching (issue 5): many items travel 50 commands per `batch` request, each item's result or
 * error comes back to its own item, in input order, paired; items that fail validation never
 * enter a batch. Counted on the sandbox portal's request log and call table.
 */
import { restMethods, usePortal, webhookCredentials } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';
import {
	callItems,
	expectEachRegisteredOnce,
	expectOutputInOrder,
	registerParameters,
	sentIds,
	type CallItem,
} from './calls';

const { portal } = usePortal();

beforeEach(() => {
	portal().clearRequests();
	portal().state.activeCalls.length = 0;
	portal().configure({ faults: { next: [] } });
});

async function registerAll(
	items: CallItem[],
	options: { continueOnFail?: boolean; batching?: boolean } = {},
) {
	return await runNode({
		credentials: webhookCredentials(portal()),
		parameters: registerParameters(
			options.batching === undefined ? {} : { batching: options.batching },
		),
		items,
		continueOnFail: options.continueOnFail,
	});
}

describe('batching', () => {
	test('120 items → exactly 3 HTTP requests of 20, 50 and 50 commands, in input order', async () => {
		const items = callItems(120, 'b120');
		const result = await registerAll(items);
		expect(result.status).toBe('success');
		expect(restMethods(portal())).toEqual(['batch', 'batch', 'batch']);
		// The first batch of an execution is sized for 1 s per command (no server time known yet:
		// 20 commands in 20 s, transport/pacing.ts); the portal then reports milliseconds.
		expect(portal().requests.map((r) => r.batchCommands?.length)).toEqual([20, 50, 50]);
		expect(portal().requests.flatMap((r) => r.batchCommands ?? [])).toEqual(
			Array(120).fill('telephony.externalcall.register'),
		);
		// Packed in input order.
		expect(portal().requests.map(sentIds)).toEqual([
			items.slice(0, 20).map((i) => i.id),
			items.slice(20, 70).map((i) => i.id),
			items.slice(70).map((i) => i.id),
		]);
		// Without Continue On Fail the node stops at the first error: Bitrix24 should stop too.
		expect(portal().requests.map((r) => r.params.halt)).toEqual([1, 1, 1]);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	});

	test('without Continue On Fail every item is checked first: a bad item 70 means nothing is sent', async () => {
		const items = callItems(120, 'stop70');
		items[70].phone = 'anonymous';
		const result = await registerAll(items);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^'Phone Number' .* \[item 70\]$/);
		expect(portal().requests).toHaveLength(0);
	});

	test('with Continue On Fail: halt=0, still 3 requests, same order and pairing', async () => {
		const items = callItems(120, 'cof120');
		const result = await registerAll(items, { continueOnFail: true });
		expect(result.status).toBe('success');
		expect(
			portal().requests.map((r) => [r.restMethod, r.batchCommands?.length, r.params.halt]),
		).toEqual([
			['batch', 20, 0],
			['batch', 50, 0],
			['batch', 50, 0],
		]);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	});

	test('items that fail validation never enter a batch; the others still go 20, then 50 per request and keep their places', async () => {
		const items = callItems(120, 'invalid');
		items[7].phone = 'anonymous';
		items[64].phone = 'anonymous';
		const result = await registerAll(items, { continueOnFail: true });
		expect(result.status).toBe('success');
		const valid = items.filter((_, i) => i !== 7 && i !== 64).map((i) => i.id);
		expect(portal().requests.map(sentIds)).toEqual([
			valid.slice(0, 20),
			valid.slice(20, 70),
			valid.slice(70),
		]);
		expectOutputInOrder(result, items, [7, 64]);
		expect(result.items[7].json.error).toMatch(/^'Phone Number' .* \[item 7\]$/);
		expect(result.items[64].json.error).toMatch(/^'Phone Number' .* \[item 64\]$/);
		expectEachRegisteredOnce(
			portal(),
			result,
			items,
			items.map((_, i) => i).filter((i) => i !== 7 && i !== 64),
		);
	});

	test('errors Bitrix24 gives inside a batch land on their own items, in order', async () => {
		const items = callItems(60, 'itemerr');
		items[3].ext = '999';
		items[55].ext = '999';
		const result = await registerAll(items, { continueOnFail: true });
		expect(result.status).toBe('success');
		expect(portal().requests.map((r) => r.batchCommands?.length)).toEqual([20, 40]);
		expectOutputInOrder(result, items, [3, 55]);
		expect(result.items[3].json.error).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
		expect(result.items[55].json.error).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
		expectEachRegisteredOnce(
			portal(),
			result,
			items,
			items.map((_, i) => i).filter((i) => i !== 3 && i !== 55),
		);
	});

	test('without Continue On Fail an error inside a batch stops the node, and Bitrix24 ran nothing behind it', async () => {
		const items = callItems(60, 'halt');
		items[10].ext = '999';
		const result = await registerAll(items);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
		expect((result.error as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(10);
		// One request: the second batch is never sent; halt=1 kept items 11-49 from running.
		expect(portal().requests).toHaveLength(1);
		expect(portal().state.activeCalls.map((c) => c.externalCallId)).toEqual(
			items.slice(0, 10).map((i) => i.id),
		);
	});

	test('batching off: one request per item, in input order', async () => {
		const items = callItems(5, 'single');
		const result = await registerAll(items, { batching: false, continueOnFail: true });
		expect(restMethods(portal())).toEqual(Array(5).fill('telephony.externalcall.register'));
		expect(portal().requests.map(sentIds).flat()).toEqual(items.map((i) => i.id));
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	});

	test('a lone valid item among invalid ones is sent as a plain request, not a batch of one', async () => {
		const items = callItems(3, 'lone');
		items[0].phone = 'anonymous';
		items[2].phone = 'anonymous';
		const result = await registerAll(items, { continueOnFail: true });
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
		expectOutputInOrder(result, items, [0, 2]);
	});
});
