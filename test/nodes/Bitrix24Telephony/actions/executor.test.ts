/**
 * The executor alone, with a fake context and a fake portal beneath the transport, for what the
 * node's own operations cannot show in the engine: items of several commands packed whole into
 * batches (a reference to an earlier command of the same item), and a lost batch under
 * "Continue On Fail". Batch sizes, order, halt, pairing and validation before sending are proven
 * on the sandbox by throughput/batching.test.ts.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { executeOperation } from '../../../../nodes/Bitrix24Telephony/actions/executor';
import type { OperationDefinition } from '../../../../nodes/Bitrix24Telephony/actions/types';
import { BatchReference } from '../../../../nodes/Bitrix24Telephony/transport/batch';
import { batchCommands, executingPortal, fakeContext, type Answer } from './fakeContext';

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
	test("an item's commands travel together; the second refers to the first one's result", async () => {
		const { output, sent } = await run(addThenTag, {
			items: numbered(30),
			nodeOptions: { batching: false },
		});
		const [items] = await output;
		// 60 commands: two batches, an item's pair never split (25 items fill 50 commands).
		expect(sent.map((r) => Object.keys(batchCommands(r)).length)).toEqual([20, 40]);
		expect(batchCommands(sent[0]).i3_tag).toBe('test.tag?ID=$result[i3_add][ID]');
		expect(items[29]).toEqual({
			json: { add: { ID: 'i29_add' }, tag: { ID: 'i29_tag' } },
			pairedItem: { item: 29 },
		});
	});
});

describe('with Continue On Fail', () => {
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
