/**
 * The one sending path of the action node, for every operation, read top to bottom:
 *
 *   1. read and check every item (`operation.prepare`): bad input never reaches Bitrix24, and
 *      without "Continue On Fail" nothing is sent until every item is valid; then, for items
 *      that ask for it, find those the portal already holds (`alreadyDone.ts`): they are not sent;
 *   2. cut the items' commands into `batch` requests (`nextBatchSize`) and send them one after
 *      another, in input order; without "Continue On Fail" a batch halts at its first error and
 *      nothing behind it is sent;
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
import { acceptedRefusal } from '../transport/acceptedRefusals';
import { MAX_BATCH_COMMANDS, sendBatch, type GroupOutcome } from '../transport/batch';
import { Bitrix24Failure, toNodeError } from '../transport/errors';
import { Bitrix24Transport } from '../transport/transport';
import { findAlreadyDone } from './alreadyDone';
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
		const chunk = batched.slice(start, (start += nextBatchSize(batched, start)));
		const groups = chunk.map(([itemIndex, request]) => ({
			key: `i${itemIndex}`,
			commands: request.commands,
		}));
		const outcomes = await sendBatch(transport, groups, { halt: !continueOnFail });
		for (const entry of chunk) answered(entry, outcomes.get(`i${entry[0]}`)!);
	}

	// 3. What travels alone, in input order.
	for (const [itemIndex, request] of oneByOne) {
		if (isCommandRequest(request)) {
			answered([itemIndex, request], await sendSingle(transport, request));
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
 * How many of the waiting items (from `start`) go into the next `batch` request: as many as fit
 * into Bitrix24's 50 commands, an item's commands never split across two requests. The one place
 * that decides a batch's size.
 */
export function nextBatchSize(waiting: Array<Entry<CommandRequest>>, start: number): number {
	let commands = 0;
	let size = 0;
	while (start + size < waiting.length) {
		const next = commandCount(waiting[start + size][1]);
		if (size > 0 && commands + next > MAX_BATCH_COMMANDS) break;
		commands += next;
		size++;
	}
	return size;
}

function commandCount(request: CommandRequest): number {
	return Object.keys(request.commands).length;
}

/** One command as a plain request, its result or failure in a batch group's shape. */
async function sendSingle(
	transport: Bitrix24Transport,
	request: CommandRequest,
): Promise<GroupOutcome> {
	const [[name, command]] = Object.entries(request.commands);
	try {
		const envelope = await transport.call(command.method, command.params as IDataObject, command);
		return { results: { [name]: envelope.result } };
	} catch (error) {
		const accepted = acceptedRefusal(command, error);
		if (accepted !== undefined) return { results: { [name]: accepted } };
		return { failure: error as Error, done: {} };
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
