/**
 * The executor alone, with a fake context and a fake portal beneath the transport: which
 * commands it sends, how it packs them into batches, in which order, what each item gets back
 * (pairedItem), and how "Continue On Fail" changes all of that.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { executeOperation } from '../../../../nodes/Bitrix24Telephony/actions/executor';
import type { OperationDefinition } from '../../../../nodes/Bitrix24Telephony/actions/types';
import { BatchReference } from '../../../../nodes/Bitrix24Telephony/transport/batch';
import { batchCommands, executingPortal, fakeContext, type Answer } from './fakeContext';

/** One `test.add` command per item with its `n`; an item without `n` is refused before sending. */
const addOne: OperationDefinition = {
	description: [],
	prepare(this: IExecuteFunctions, itemIndex: number) {
		const n = this.getInputData()[itemIndex].json.n;
		if (typeof n !== 'number')
			throw new NodeOperationError(this.getNode(), `Item ${itemIndex}: n is missing`, {
				itemIndex,
			});
		return {
			commands: { add: { method: 'test.add', params: { N: n }, idempotent: true } },
			output: (results) => ({ n, result: results.add as IDataObject }),
		};
	},
};

/** Two commands per item, the second using the first one's result. */
const addThenTag: OperationDefinition = {
	description: [],
	prepare(this: IExecuteFunctions, itemIndex: number) {
		return {
			commands: {
				add: { method: 'test.add', params: { N: itemIndex }, idempotent: true },
				tag: {
					method: 'test.tag',
					params: { ID: new BatchReference('add', ['ID']) },
					idempotent: true,
				},
			},
			output: (results) => results as IDataObject,
		};
	},
};

const numbered = (count: number) => Array.from({ length: count }, (_, n) => ({ n }));

async function run(
	operation: OperationDefinition,
	options: {
		items: IDataObject[];
		answer?: Answer;
		continueOnFail?: boolean;
		nodeOptions?: IDataObject;
	},
) {
	const { ctx, sent } = fakeContext({ answer: executingPortal(), ...options });
	const output = executeOperation.call(ctx, operation);
	return { output, sent };
}

describe('without Continue On Fail', () => {
	test('120 items go in three batches: 20 commands while no server time is known, then 50 and 50; halt=1, answers in input order', async () => {
		const { output, sent } = await run(addOne, { items: numbered(120) });
		const [items] = await output;
		expect(sent.map((r) => r.method)).toEqual(['batch', 'batch', 'batch']);
		expect(sent.map((r) => Number(r.body.halt))).toEqual([1, 1, 1]);
		expect(sent.map((r) => Object.keys(batchCommands(r)))).toEqual([
			numbered(20).map(({ n }) => `i${n}_add`),
			numbered(50).map(({ n }) => `i${n + 20}_add`),
			numbered(50).map(({ n }) => `i${n + 70}_add`),
		]);
		expect(batchCommands(sent[0]).i7_add).toBe('test.add?N=7');
		expect(items).toHaveLength(120);
		items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toEqual({ n: i, result: { ID: `i${i}_add` } });
		});
	});

	test('every item is validated before the first request: a bad item 70 means nothing is sent', async () => {
		const items = numbered(100);
		delete (items[70] as IDataObject).n;
		const { output, sent } = await run(addOne, { items });
		await expect(output).rejects.toThrow('Item 70: n is missing');
		expect(sent).toHaveLength(0);
	});

	test('a Bitrix24 error in the second batch ends the run there: the third batch is never sent', async () => {
		const { output, sent } = await run(addOne, {
			items: numbered(120),
			answer: executingPortal((key) => key === 'i60_add'),
		});
		await expect(output).rejects.toMatchObject({ context: { itemIndex: 60 } });
		expect(sent).toHaveLength(2);
	});

	test('a single item is one plain call, not a batch', async () => {
		const { output, sent } = await run(addOne, { items: numbered(1) });
		const [items] = await output;
		expect(sent).toEqual([{ method: 'test.add', body: { N: 0 } }]);
		expect(items).toEqual([
			{ json: { n: 0, result: { ID: 'test.add' } }, pairedItem: { item: 0 } },
		]);
	});

	test('with batching off, one request per item, in input order', async () => {
		const { output, sent } = await run(addOne, {
			items: numbered(4),
			nodeOptions: { batching: false },
		});
		await output;
		expect(sent).toEqual(numbered(4).map(({ n }) => ({ method: 'test.add', body: { N: n } })));
	});

	test("an item's commands travel together; the second refers to the first one's result", async () => {
		const { output, sent } = await run(addThenTag, {
			items: numbered(30),
			nodeOptions: { batching: false },
		});
		const [items] = await output;
		// 60 commands: two batches (the first one of 20 while no server time is known), an item's
		// pair never split.
		expect(sent.map((r) => Object.keys(batchCommands(r)).length)).toEqual([20, 40]);
		expect(batchCommands(sent[0]).i3_tag).toBe('test.tag?ID=$result[i3_add][ID]');
		expect(items[29]).toEqual({
			json: { add: { ID: 'i29_add' }, tag: { ID: 'i29_tag' } },
			pairedItem: { item: 29 },
		});
	});
});

describe('with Continue On Fail', () => {
	test('a bad item fails alone, in its place; the others are sent with halt=0', async () => {
		const items = numbered(60);
		delete (items[3] as IDataObject).n;
		const { output, sent } = await run(addOne, { items, continueOnFail: true });
		const [out] = await output;
		expect(sent.map((r) => Number(r.body.halt))).toEqual([0, 0]);
		expect(sent.map((r) => Object.keys(batchCommands(r)).length)).toEqual([20, 39]);
		expect(out).toHaveLength(60);
		expect(out[3].json).toEqual({ error: 'Item 3: n is missing' });
		expect(out[3].pairedItem).toEqual({ item: 3 });
		expect(out[4].json).toEqual({ n: 4, result: { ID: 'i4_add' } });
	});

	test('a failed command fails its own item only; the items behind it go on', async () => {
		const { output } = await run(addOne, {
			items: numbered(10),
			continueOnFail: true,
			answer: executingPortal((key) => key === 'i5_add'),
		});
		const [out] = await output;
		expect(out.map((item) => ('error' in item.json ? 'error' : 'ok'))).toEqual([
			'ok',
			'ok',
			'ok',
			'ok',
			'ok',
			'error',
			'ok',
			'ok',
			'ok',
			'ok',
		]);
		expect(out[5].error?.message).toBeTruthy();
	});

	test('a lost batch fails each of its items (not repeated: not idempotent, no way to recover); the next batches go on, smaller at first', async () => {
		const portal = executingPortal();
		const once: OperationDefinition = {
			description: [],
			prepare(this: IExecuteFunctions, itemIndex: number) {
				return {
					commands: { add: { method: 'test.add', params: { N: itemIndex }, idempotent: false } },
					output: (results) => results as IDataObject,
				};
			},
		};
		const { output, sent } = await run(once, {
			items: numbered(75),
			continueOnFail: true,
			answer: (request) =>
				'i0_add' in batchCommands(request)
					? Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
					: portal(request),
		});
		const [out] = await output;
		// The lost batch may have run past Bitrix24's 60 s: its method is taken as 3 times slower
		// (6 commands fill 20 s) until the next answer reports its real time.
		expect(sent.map((r) => Object.keys(batchCommands(r)).length)).toEqual([20, 6, 49]);
		expect(out).toHaveLength(75);
		out.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		expect(out.slice(0, 20).every((item) => item.error !== undefined)).toBe(true);
		expect(out[0].error?.message).toContain('test.add (in a batch)');
		expect(out.slice(20).every((item) => item.error === undefined)).toBe(true);
	});
});
