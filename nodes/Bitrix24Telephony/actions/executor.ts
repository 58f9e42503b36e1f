/**
 * Runs one operation over all input items, once for all operations: validates every item (bad
 * input never reaches Bitrix24; without `continueOnFail`, all of them before anything is sent),
 * sends the commands singly or in `batch` requests of up to 50, one request at a time, maps each
 * result or error back to its own item in input order with `pairedItem`, resends the commands a
 * 429 OPERATION_TIME_LIMIT kept from running once the block lifts (when that is near), and honours
 * `continueOnFail`.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { resolveConnection, type AuthenticationMode } from '../transport/connection';
import { asKeyedMap, encodeBatchCommand } from '../transport/batchEncoding';
import { Bitrix24Failure } from '../transport/failure';
import { Bitrix24Transport } from '../transport/transport';
import { waitFor } from '../transport/wait';
import type { ItemRequest, OperationDefinition } from './types';

/** Bitrix24 executes at most 50 commands per batch. */
export const MAX_BATCH_COMMANDS = 50;

/**
 * While a batch is in flight and the next one is being prepared (n8n evaluates an expression in
 * about 0.2 ms), the event loop is handed back this often, so that the answer is read while we
 * work rather than after...
 */
const YIELD_EVERY_MS = 4;
/**
 * ...and this many times in a row right after a batch was handed to the transport: n8n resolves
 * the credential and axios takes the socket over a few turns of the event loop, and the request
 * must be on the wire before we start working (measured: one turn leaves it 5-15 ms late).
 */
const YIELDS_AFTER_SEND = 3;

type Outcome = { output: IDataObject[] } | { error: NodeApiError | NodeOperationError };

type CommandRequest = Extract<ItemRequest, { commands: unknown }>;

export function toNodeError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	failure: Bitrix24Failure,
	itemIndex?: number,
): NodeApiError {
	const { details } = failure;
	return new NodeApiError(
		ctx.getNode(),
		{
			error: details.code,
			error_description: details.reason,
			method: details.method,
		} as JsonObject,
		{
			message: details.message,
			description: details.description,
			...(details.httpCode ? { httpCode: String(details.httpCode) } : {}),
			...(itemIndex !== undefined ? { itemIndex } : {}),
		},
	);
}

function isCommandRequest(request: ItemRequest): request is CommandRequest {
	return 'commands' in request;
}

function asList(output: IDataObject | IDataObject[]): IDataObject[] {
	return Array.isArray(output) ? output : [output];
}

class OperationRun {
	private readonly outcomes = new Map<number, Outcome>();
	readonly continueOnFail: boolean;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly transport: Bitrix24Transport,
	) {
		this.continueOnFail = ctx.continueOnFail();
	}

	/** Records an item's failure; without "Continue On Fail" the first one ends the run. */
	fail(itemIndex: number, error: unknown): void {
		const nodeError =
			error instanceof Bitrix24Failure
				? toNodeError(this.ctx, error, itemIndex)
				: error instanceof NodeOperationError || error instanceof NodeApiError
					? error
					: new NodeOperationError(this.ctx.getNode(), error as Error, { itemIndex });
		this.outcomes.set(itemIndex, { error: nodeError });
		if (!this.continueOnFail) throw nodeError;
	}

	succeed(itemIndex: number, output: IDataObject | IDataObject[]): void {
		this.outcomes.set(itemIndex, { output: asList(output) });
	}

	get stopped(): boolean {
		return !this.continueOnFail && [...this.outcomes.values()].some((o) => 'error' in o);
	}

	async sendSingle(itemIndex: number, request: CommandRequest): Promise<void> {
		const [[name, command]] = Object.entries(request.commands);
		let envelope;
		try {
			envelope = await this.transport.call(command.method, command.params as IDataObject, command);
		} catch (error) {
			return this.fail(itemIndex, error);
		}
		this.finish(itemIndex, request, { [name]: envelope.result });
	}

	/**
	 * Sends several items' commands in one `batch`; keys are `i<item>_<command>`. Commands that
	 * Bitrix24 refused with OPERATION_TIME_LIMIT were not executed (the limit is checked before a
	 * method runs): when Bitrix24 said the block lifts soon, their items wait for it and go again.
	 */
	async sendBatch(group: Array<[number, CommandRequest]>, operatingWaits = 0): Promise<void> {
		const cmd: Record<string, string> = {};
		for (const [itemIndex, request] of group) {
			const keyOf = (name: string) => `i${itemIndex}_${name}`;
			for (const [name, command] of Object.entries(request.commands)) {
				cmd[keyOf(name)] = encodeBatchCommand(command.method, command.params, keyOf);
			}
		}
		const idempotent = group.every(([, r]) => Object.values(r.commands).every((c) => c.idempotent));
		let envelope;
		try {
			// halt=1 without "Continue On Fail": the node stops at the first error anyway, so the
			// items behind it should not be processed by Bitrix24 either.
			envelope = await this.transport.call(
				'batch',
				{ halt: this.continueOnFail ? 0 : 1, cmd },
				{ idempotent },
			);
		} catch (error) {
			for (const [itemIndex, request] of group) this.fail(itemIndex, forItem(error, request));
			return;
		}
		const body = (envelope.result ?? {}) as IDataObject;
		const results = asKeyedMap(body.result);
		const errors = asKeyedMap(body.result_error);
		const times = asKeyedMap(body.result_time);
		// Each executed command reports its own method's operating time (reference §6.2).
		for (const [itemIndex, request] of group) {
			for (const [name, command] of Object.entries(request.commands)) {
				const time = times[`i${itemIndex}_${name}`];
				if (time && typeof time === 'object')
					this.transport.rememberOperatingReset(command.method, time as IDataObject);
			}
		}
		const outcomes: Array<{
			itemIndex: number;
			request: CommandRequest;
			own: Record<string, unknown>;
			failure?: Bitrix24Failure;
		}> = [];
		for (const [itemIndex, request] of group) {
			const own: Record<string, unknown> = {};
			let failure: Bitrix24Failure | undefined;
			for (const [name, command] of Object.entries(request.commands)) {
				const key = `i${itemIndex}_${name}`;
				if (key in errors) {
					failure = this.transport.failureFromAnswer(command.method, errors[key], 400);
					break;
				}
				if (!(key in results)) {
					failure = this.transport.failureFromAnswer(
						command.method,
						{
							error: 'NO_RESULT',
							error_description:
								'Bitrix24 returned no result for this command (an earlier command in the batch failed)',
						},
						200,
					);
					break;
				}
				own[name] = results[key];
			}
			outcomes.push({ itemIndex, request, own, failure });
		}

		// Items of which Bitrix24 executed nothing because of an operating-time block (with halt=1,
		// also every item behind the blocked one) can simply be sent again once the block lifts.
		const resend = this.blockedItems(outcomes);
		const blockedMethod = resend.method;
		const wait =
			blockedMethod === undefined ? undefined : this.transport.operatingWait(blockedMethod);
		// Bounded: one wait, and another only when the previous one let some commands through.
		const progressed = outcomes.some((o) => !o.failure);
		const retry = wait !== undefined && (operatingWaits === 0 || progressed);
		for (const outcome of outcomes) {
			if (retry && resend.items.has(outcome.itemIndex)) continue;
			if (outcome.failure) {
				const failure =
					outcome.failure.kind === 'operatingLimit'
						? this.transport.operatingLimitFailure(outcome.failure)
						: outcome.failure;
				this.fail(outcome.itemIndex, withCompletedSteps(failure, outcome.own));
			} else this.finish(outcome.itemIndex, outcome.request, outcome.own);
		}
		if (!retry || blockedMethod === undefined) return;
		await waitFor(wait, blockedMethod, this.cancelSignal());
		await this.sendBatch(
			group.filter(([itemIndex]) => resend.items.has(itemIndex)),
			operatingWaits + 1,
		);
	}

	/** The items of a batch that Bitrix24 left untouched because a method was blocked (429). */
	private blockedItems(
		outcomes: Array<{ itemIndex: number; own: Record<string, unknown>; failure?: Bitrix24Failure }>,
	): { method?: string; items: Set<number> } {
		const items = new Set<number>();
		let method: string | undefined;
		for (const { itemIndex, own, failure } of outcomes) {
			if (!failure) continue;
			const untouched = Object.keys(own).length === 0;
			if (untouched && failure.kind === 'operatingLimit') {
				method ??= failure.details.method;
				items.add(itemIndex);
			} else if (
				untouched &&
				method !== undefined &&
				!this.continueOnFail &&
				failure.details.code === 'NO_RESULT'
			) {
				// halt=1 stopped the batch at the blocked command: nothing behind it ran.
				items.add(itemIndex);
			} else if (!this.continueOnFail) {
				// Without "Continue On Fail" the node stops at the first other error; leave the rest to it.
				break;
			}
		}
		return { method, items };
	}

	private cancelSignal(): AbortSignal | undefined {
		return this.ctx.getExecutionCancelSignal?.();
	}

	private finish(
		itemIndex: number,
		request: CommandRequest,
		results: Record<string, unknown>,
	): void {
		const output = request.output(this.transport.connection.redactor.value(results));
		this.succeed(itemIndex, output);
	}

	async runCustom(itemIndex: number, request: RunRequest): Promise<void> {
		let output;
		try {
			output = await request.run(this.transport);
		} catch (error) {
			return this.fail(itemIndex, error);
		}
		this.succeed(itemIndex, this.transport.connection.redactor.value(output));
	}

	items(count: number): INodeExecutionData[] {
		const out: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < count; itemIndex++) {
			const outcome = this.outcomes.get(itemIndex);
			if (!outcome) continue;
			if ('output' in outcome) {
				for (const json of outcome.output) out.push({ json, pairedItem: { item: itemIndex } });
			} else {
				const { error } = outcome;
				// n8n's shape for a failed item: the message in `json.error`, the whole error (with
				// its description) in `error`, by which n8n also routes the item to the error output.
				out.push({ json: { error: error.message }, error, pairedItem: { item: itemIndex } });
			}
		}
		return out;
	}
}

/**
 * A failure of a whole `batch` request, told in terms of the item's own method(s): "the answer to
 * telephony.externalcall.finish (in a batch) was lost" says more than "…to batch…".
 */
function forItem(error: unknown, request: CommandRequest): unknown {
	if (!(error instanceof Bitrix24Failure) || error.details.method !== 'batch') return error;
	const methods = `${[...new Set(Object.values(request.commands).map((c) => c.method))].join(' + ')} (in a batch)`;
	const rename = (text: string) => text.split(' batch').join(` ${methods}`);
	return new Bitrix24Failure({
		...error.details,
		method: methods,
		message: rename(error.details.message),
		description: rename(error.details.description),
	});
}

/** When a later command of an item failed, say what its earlier commands already did. */
function withCompletedSteps(
	failure: Bitrix24Failure,
	done: Record<string, unknown>,
): Bitrix24Failure {
	const callId = Object.values(done)
		.map((r) => (r && typeof r === 'object' ? (r as IDataObject).CALL_ID : undefined))
		.find((id) => typeof id === 'string');
	if (!callId) return failure;
	return new Bitrix24Failure({
		...failure.details,
		description: `${failure.details.description} The call was registered as ${String(callId)} before this step failed.`,
	});
}

/** Packs item requests into batches without splitting an item's commands across two batches. */
function packBatches(
	requests: Array<[number, CommandRequest]>,
): Array<Array<[number, CommandRequest]>> {
	const batches: Array<Array<[number, CommandRequest]>> = [];
	let current: Array<[number, CommandRequest]> = [];
	let size = 0;
	for (const entry of requests) {
		const commands = Object.keys(entry[1].commands).length;
		if (size + commands > MAX_BATCH_COMMANDS && current.length > 0) {
			batches.push(current);
			current = [];
			size = 0;
		}
		current.push(entry);
		size += commands;
	}
	if (current.length > 0) batches.push(current);
	return batches;
}

type RunRequest = Extract<ItemRequest, { run: unknown }>;

/**
 * Batches Bitrix24 may be working on at once. Two keep the connection busy while an answer
 * travels back and the next batch is prepared; the rate limiter still admits every request, so
 * this never becomes a burst (reference §11.16 warns against parallel bursts, not overlap).
 */
const MAX_BATCHES_IN_FLIGHT = 2;

/**
 * Prepares and sends in step: each batch is prepared while earlier ones are in flight, so the
 * cost of reading the items (n8n's expressions) hides behind the round trip. Used with
 * "Continue On Fail", where a bad item fails alone and there is no need to check every item
 * before the first request.
 */
async function sendPipelined(
	run: OperationRun,
	count: number,
	prepare: (itemIndex: number) => Promise<ItemRequest | undefined>,
): Promise<void> {
	const custom: Array<[number, RunRequest]> = [];
	let chunk: Array<[number, CommandRequest]> = [];
	let size = 0;
	let batches = 0;
	const inFlight: Array<Promise<void>> = [];
	/** Batches sent and not answered yet. */
	let waiting = 0;
	let failed: { error: unknown } | undefined;
	let lastYield = 0;

	const settleOldest = async () => {
		await inFlight.shift();
		if (failed) throw failed.error;
	};
	const send = async (batch: Array<[number, CommandRequest]>) => {
		while (inFlight.length >= MAX_BATCHES_IN_FLIGHT) await settleOldest();
		batches++;
		waiting++;
		// Caught here and rethrown when settled: nothing may reject unobserved meanwhile.
		inFlight.push(
			run
				.sendBatch(batch)
				.catch((error: unknown) => {
					failed = { error };
				})
				.finally(() => {
					waiting--;
				}),
		);
		lastYield = 0;
	};

	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		if (waiting > 0 && Date.now() - lastYield >= YIELD_EVERY_MS) {
			for (let turn = lastYield === 0 ? YIELDS_AFTER_SEND : 1; turn > 0; turn--) await sleep(0);
			lastYield = Date.now();
		}
		const request = await prepare(itemIndex);
		if (!request) continue;
		if (!isCommandRequest(request)) {
			custom.push([itemIndex, request]);
			continue;
		}
		const commands = Object.keys(request.commands).length;
		if (size + commands > MAX_BATCH_COMMANDS && chunk.length > 0) {
			await send(chunk);
			chunk = [];
			size = 0;
		}
		chunk.push([itemIndex, request]);
		size += commands;
	}
	if (batches === 0 && chunk.length === 1 && size === 1) {
		// A lone single command (the other items were invalid or custom) needs no batch.
		await run.sendSingle(chunk[0][0], chunk[0][1]);
	} else if (chunk.length > 0) {
		await send(chunk);
	}
	while (inFlight.length > 0) await settleOldest();
	for (const [itemIndex, request] of custom) await run.runCustom(itemIndex, request);
}

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
	const run = new OperationRun(this, transport);

	const batching = options.batching !== false;
	const prepare = async (itemIndex: number): Promise<ItemRequest | undefined> => {
		try {
			return await operation.prepare.call(this, itemIndex, { portalUrl: connection.portalUrl });
		} catch (error) {
			run.fail(itemIndex, error);
			return undefined;
		}
	};

	// With "Continue On Fail" a bad item fails alone, so there is nothing to gain from checking
	// every item before the first request: prepare each batch while the previous one is in flight.
	if (run.continueOnFail && batching && items.length > 1) {
		await sendPipelined(run, items.length, prepare);
		return [run.items(items.length)];
	}

	// 1. Validate every item before anything is sent.
	const prepared: Array<[number, ItemRequest]> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const request = await prepare(itemIndex);
		if (request) prepared.push([itemIndex, request]);
	}

	// 2. Send: grouped commands always travel in one batch; single commands too when many items.
	const commandRequests = prepared.filter((e): e is [number, CommandRequest] =>
		isCommandRequest(e[1]),
	);
	const grouped = commandRequests.filter(([, r]) => Object.keys(r.commands).length > 1);
	const useBatch = (batching && commandRequests.length > 1) || grouped.length > 0;
	if (useBatch) {
		const inBatch = batching ? commandRequests : grouped;
		for (const batch of packBatches(inBatch)) {
			if (run.stopped) break;
			await run.sendBatch(batch);
		}
	}
	for (const [itemIndex, request] of prepared) {
		if (run.stopped) break;
		if (isCommandRequest(request)) {
			if (!useBatch || (!batching && Object.keys(request.commands).length === 1)) {
				await run.sendSingle(itemIndex, request);
			}
		} else {
			await run.runCustom(itemIndex, request);
		}
	}
	return [run.items(items.length)];
}
