/**
 * The one sending path of the action node, for every operation, read top to bottom:
 *
 *   1. read and check every item (`operation.prepare`): bad input never reaches Bitrix24, and
 *      without "Continue On Fail" nothing is sent until every item is valid; then, for items
 *      that ask for it, find those the portal already holds (`alreadyOnPortal.ts`): they are not sent;
 *   2. cut the items' commands into `batch` requests sized by server time (`nextBatchSize`), paced
 *      by the credential's operating budget (`Pacer`), and send them one after another, in input
 *      order; without "Continue On Fail" a batch halts at its first error and nothing behind it is
 *      sent; a batch whose answer was lost is recovered item by item (`recoverLostBatch`);
 *   3. send what cannot travel in a batch (a lone command, batching off, multi-step flows) one
 *      by one, in input order;
 *   4. turn each item's results (or error) into its output, with `pairedItem`: `itemOutput`.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeApiError,
} from 'n8n-workflow';

import { resolveConnection, type AuthenticationMode } from '../transport/auth/connection';
import { acceptedRefusal } from '../transport/batchProtocol';
import { MAX_BATCH_COMMANDS, sendBatch, type GroupOutcome } from '../transport/batch';
import { Bitrix24Failure, toNodeError } from '../transport/errors';
import {
	DEFAULT_OPERATING_BUDGET_SECONDS,
	Pacer,
	TARGET_BATCH_SECONDS,
	type MethodSeconds,
} from '../transport/operatingBudget';
import { Bitrix24Transport } from '../transport/transport';
import { findAlreadyDone, lostAnswer, recoverLostBatch } from './alreadyOnPortal';
import {
	isCommandRequest,
	type CommandRequest,
	type ItemRequest,
	type OperationDefinition,
	type RunRequest,
} from './types';

export { MAX_BATCH_COMMANDS } from '../transport/batch';

type Entry<R extends ItemRequest = ItemRequest> = [itemIndex: number, request: R];

/** What became of one item: its output item(s), or its error. */
type ItemResult = { output: IDataObject[] } | { error: NodeApiError | NodeOperationError };

export async function executeOperation(
	this: IExecuteFunctions,
	operation: OperationDefinition,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const authentication = this.getNodeParameter(
		'authentication',
		0,
		'webhook',
	) as AuthenticationMode;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	let connection;
	try {
		connection = await resolveConnection(this, authentication);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Fix the Bitrix24 credential of this node.',
		});
	}
	const transport = new Bitrix24Transport(this, connection, {
		...(typeof options.timeout === 'number' ? { timeoutMs: options.timeout } : {}),
	});
	const { redactor } = connection;
	const pacer = new Pacer(
		transport,
		typeof options.operatingBudget === 'number'
			? options.operatingBudget
			: DEFAULT_OPERATING_BUDGET_SECONDS,
		this.logger,
	);
	const continueOnFail = this.continueOnFail();
	const results = new Map<number, ItemResult>();

	/** An item's failure; without "Continue On Fail" it ends the run. */
	const fail = (itemIndex: number, error: unknown): void => {
		const nodeError = toNodeError(this, error, itemIndex);
		results.set(itemIndex, { error: nodeError });
		if (!continueOnFail) throw nodeError;
	};
	const succeed = (itemIndex: number, output: IDataObject | IDataObject[]): void => {
		results.set(itemIndex, { output: Array.isArray(output) ? output : [output] });
	};
	/** The commands' results (by name), redacted, through the operation's output builder. */
	const answered = (entry: Entry<CommandRequest>, outcome: GroupOutcome): void => {
		const [itemIndex, request] = entry;
		if ('results' in outcome) succeed(itemIndex, request.output(redactor.value(outcome.results)));
		else fail(itemIndex, withCompletedSteps(outcome.failure, outcome.done));
	};

	// 1. Read and check every item.
	const context = { portalUrl: connection.portalUrl };
	const batched: Array<Entry<CommandRequest>> = [];
	const oneByOne: Entry[] = [];
	const batching = options.batching !== false;
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let request: ItemRequest;
		try {
			request = await operation.prepare.call(this, itemIndex, context);
		} catch (error) {
			fail(itemIndex, error);
			continue;
		}
		if (isCommandRequest(request) && (batching || commandCount(request) > 1))
			batched.push([itemIndex, request]);
		else oneByOne.push([itemIndex, request]);
	}
	// 1b. Items the portal already holds are answered without sending (Skip Calls Already Logged).
	if (operation.alreadyDone) {
		const keyed = [...batched, ...oneByOne]
			.filter(
				(entry): entry is Entry<CommandRequest> =>
					isCommandRequest(entry[1]) && entry[1].skipKey !== undefined,
			)
			.sort((a, b) => a[0] - b[0])
			.map(([itemIndex, request]): [number, string] => [itemIndex, request.skipKey!]);
		if (keyed.length > 0) {
			const { skipped, failed } = await findAlreadyDone(
				transport,
				operation.alreadyDone,
				keyed,
				!continueOnFail,
			);
			for (const [itemIndex, error] of failed) fail(itemIndex, error);
			for (const [itemIndex, output] of skipped) succeed(itemIndex, redactor.value(output));
			const settled = (entry: Entry) => skipped.has(entry[0]) || failed.has(entry[0]);
			batched.splice(0, batched.length, ...batched.filter((entry) => !settled(entry)));
			oneByOne.splice(0, oneByOne.length, ...oneByOne.filter((entry) => !settled(entry)));
		}
	}
	// A lone single command needs no batch around it.
	if (batched.length === 1 && commandCount(batched[0][1]) === 1) {
		oneByOne.push(batched.pop()!);
		oneByOne.sort((a, b) => a[0] - b[0]);
	}

	// 2. The batches, one at a time. halt=1 without "Continue On Fail": the node stops at the first
	// error anyway, so Bitrix24 should not process the items behind it either.
	for (let start = 0; start < batched.length; ) {
		try {
			await pacer.beforeSending(itemCost(batched[start][1], pacer));
		} catch (error) {
			// Only a cancelled execution ends a wait: nothing more is sent, for any item.
			throw toNodeError(this, error, batched[start][0]);
		}
		const chunk = batched.slice(start, (start += nextBatchSize(batched, start, pacer)));
		const groups = chunk.map(([itemIndex, request]) => ({
			key: `i${itemIndex}`,
			commands: request.commands,
		}));
		const cost = new Map() as MethodSeconds;
		for (const [, request] of chunk) itemCost(request, pacer, cost);
		const release = pacer.reserve(cost);
		const times: Array<{ method: string; time: IDataObject }> = [];
		let outcomes;
		try {
			outcomes = await sendBatch(transport, groups, {
				halt: !continueOnFail,
				onTime: (method, time) => times.push({ method, time }),
			});
		} finally {
			release();
		}
		pacer.learn(times);
		const lost = lostAnswer(outcomes);
		if (lost) {
			pacer.learnLostAnswer(cost);
			await recoverLostBatch(transport, chunk, outcomes, lost, { succeed, fail, redactor });
			continue;
		}
		for (const entry of chunk) answered(entry, outcomes.get(`i${entry[0]}`)!);
	}

	// 3. What travels alone, in input order.
	for (const [itemIndex, request] of oneByOne) {
		if (isCommandRequest(request)) {
			answered([itemIndex, request], await sendSingle(transport, request, pacer));
			continue;
		}
		try {
			succeed(itemIndex, redactor.value(await (request as RunRequest).run(transport)));
		} catch (error) {
			fail(itemIndex, error);
		}
	}

	// 4. Every item's output in input order, paired to its item.
	return [items.flatMap((_, itemIndex) => itemOutput(results.get(itemIndex), itemIndex))];
}

/**
 * How many of the waiting items (from `start`) go into the next `batch` request. The one place
 * that decides a batch's size: at least one item, an item's commands never split across two
 * requests, and no more than fit into
 * - Bitrix24's 50 commands;
 * - `TARGET_BATCH_SECONDS` of estimated server time, a third of the 60-second request limit
 *   (transport/operatingBudget.ts says why);
 * - each method's room below 80 % of its operating budget.
 */
export function nextBatchSize(
	waiting: Array<Entry<CommandRequest>>,
	start: number,
	pacer: Pacer,
): number {
	let commands = 0;
	let seconds = 0;
	const spent = new Map() as MethodSeconds;
	let size = 0;
	while (start + size < waiting.length) {
		const request = waiting[start + size][1];
		const next = commandCount(request);
		const cost = itemCost(request, pacer);
		const itemSeconds = [...cost.values()].reduce((sum, s) => sum + s, 0);
		const fits =
			commands + next <= MAX_BATCH_COMMANDS &&
			seconds + itemSeconds <= TARGET_BATCH_SECONDS &&
			[...cost].every(([m, s]) => (spent.get(m) ?? 0) + s <= pacer.roomOf(m));
		if (size > 0 && !fits) break;
		commands += next;
		seconds += itemSeconds;
		for (const [m, s] of cost) spent.set(m, (spent.get(m) ?? 0) + s);
		size++;
	}
	return size;
}

/** An item's estimated server time per method, added to `into`. */
function itemCost(request: CommandRequest, pacer: Pacer, into?: MethodSeconds): MethodSeconds {
	return pacer.costOf(
		Object.values(request.commands).map((command) => command.method),
		into,
	);
}

function commandCount(request: CommandRequest): number {
	return Object.keys(request.commands).length;
}

/** One command as a plain request, paced like a batch, its outcome in a batch group's shape. */
async function sendSingle(
	transport: Bitrix24Transport,
	request: CommandRequest,
	pacer: Pacer,
): Promise<GroupOutcome> {
	const [[name, command]] = Object.entries(request.commands);
	const cost = itemCost(request, pacer);
	try {
		await pacer.beforeSending(cost);
	} catch (error) {
		return { failure: error as Error, done: {} };
	}
	const release = pacer.reserve(cost);
	try {
		const envelope = await transport.call(command.method, command.params as IDataObject, command);
		if (envelope.time) pacer.learn([{ method: command.method, time: envelope.time }]);
		return { results: { [name]: envelope.result } };
	} catch (error) {
		const accepted = acceptedRefusal(command, error);
		if (accepted !== undefined) return { results: { [name]: accepted } };
		return { failure: error as Error, done: {} };
	} finally {
		release();
	}
}

/** n8n's items for one input item: its results, or a failed item in n8n's shape. */
function itemOutput(result: ItemResult | undefined, itemIndex: number): INodeExecutionData[] {
	if (!result) return [];
	const pairedItem = { item: itemIndex };
	if ('output' in result) return result.output.map((json) => ({ json, pairedItem }));
	// The message in `json.error`, the whole error (with its description) in `error`, by which n8n
	// also routes the item to the error output.
	return [{ json: { error: result.error.message }, error: result.error, pairedItem }];
}

/** When a later command of an item failed, say what its earlier commands already did. */
function withCompletedSteps(failure: Error, done: Record<string, unknown>): Error {
	if (!(failure instanceof Bitrix24Failure)) return failure;
	const callId = Object.values(done)
		.map((r) => (r && typeof r === 'object' ? (r as IDataObject).CALL_ID : undefined))
		.find((id) => typeof id === 'string');
	if (!callId) return failure;
	return new Bitrix24Failure({
		...failure.details,
		description: `${failure.details.description} The call was registered as ${String(callId)} before this step failed.`,
	});
}
