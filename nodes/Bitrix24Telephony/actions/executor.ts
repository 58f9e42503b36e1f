/**
 * Runs one operation over all input items, once for all operations: validates every item first
 * (bad input never reaches Bitrix24), sends the commands singly or in `batch` requests of up to
 * 50, maps each result or error back to its own item in input order with `pairedItem`, and
 * honours `continueOnFail`.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

import { resolveConnection, type AuthenticationMode } from '../transport/connection';
import { asKeyedMap, encodeBatchCommand } from '../transport/batchEncoding';
import { Bitrix24Failure } from '../transport/failure';
import { Bitrix24Transport } from '../transport/transport';
import type { ItemRequest, OperationDefinition } from './types';

/** Bitrix24 executes at most 50 commands per batch. */
export const MAX_BATCH_COMMANDS = 50;

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
		{ error: details.code, error_description: details.reason, method: details.method } as JsonObject,
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
	private readonly continueOnFail: boolean;

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

	/** Sends several items' commands in one `batch`; keys are `i<item>_<command>`. */
	async sendBatch(group: Array<[number, CommandRequest]>): Promise<void> {
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
			envelope = await this.transport.call('batch', { halt: this.continueOnFail ? 0 : 1, cmd }, { idempotent });
		} catch (error) {
			for (const [itemIndex] of group) this.fail(itemIndex, error);
			return;
		}
		const body = (envelope.result ?? {}) as IDataObject;
		const results = asKeyedMap(body.result);
		const errors = asKeyedMap(body.result_error);
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
						{ error: 'NO_RESULT', error_description: 'Bitrix24 returned no result for this command (an earlier command in the batch failed)' },
						200,
					);
					break;
				}
				own[name] = results[key];
			}
			if (failure) this.fail(itemIndex, withCompletedSteps(failure, own));
			else this.finish(itemIndex, request, own);
		}
	}

	private finish(itemIndex: number, request: CommandRequest, results: Record<string, unknown>): void {
		const output = request.output(this.transport.connection.redactor.value(results));
		this.succeed(itemIndex, output);
	}

	async runCustom(itemIndex: number, request: Extract<ItemRequest, { run: unknown }>): Promise<void> {
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
				out.push({
					json: { error: error.message, ...(error.description ? { errorDescription: error.description } : {}) },
					pairedItem: { item: itemIndex },
				});
			}
		}
		return out;
	}
}

/** When a later command of an item failed, say what its earlier commands already did. */
function withCompletedSteps(failure: Bitrix24Failure, done: Record<string, unknown>): Bitrix24Failure {
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
function packBatches(requests: Array<[number, CommandRequest]>): Array<Array<[number, CommandRequest]>> {
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

export async function executeOperation(
	this: IExecuteFunctions,
	operation: OperationDefinition,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const authentication = this.getNodeParameter('authentication', 0, 'webhook') as AuthenticationMode;
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

	// 1. Validate every item before anything is sent.
	const prepared: Array<[number, ItemRequest]> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push([itemIndex, await operation.prepare.call(this, itemIndex, { portalUrl: connection.portalUrl })]);
		} catch (error) {
			run.fail(itemIndex, error);
		}
	}

	// 2. Send: grouped commands always travel in one batch; single commands too when many items.
	const commandRequests = prepared.filter((e): e is [number, CommandRequest] => isCommandRequest(e[1]));
	const batching = options.batching !== false;
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
