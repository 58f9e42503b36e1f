/**
 * The one sending path: items' requests come in (in input order), command requests are packed
 * into `batch` requests of up to 50 commands (an item's commands never split across two), and
 * at most `window` batches are in flight at a time. Whatever cannot be batched (a lone single
 * command, single commands with batching off, multi-step flows) goes afterwards, one by one, in
 * input order.
 *
 * Each answer is checked for a failure at once, before anything else is sent; the output for
 * its items is built later, while the next batch is on its way, so that this work hides behind
 * the round trip.
 */
import { sleep } from 'n8n-workflow';

import { commandCount, MAX_BATCH_COMMANDS, sendBatch, type GroupOutcome } from '../transport/batch';
import type { Bitrix24Transport } from '../transport/transport';
import type { ItemOutcomes } from './outcomes';
import { isCommandRequest, type CommandRequest, type ItemRequest } from './types';

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

type CommandEntry = [number, CommandRequest];

interface InFlight {
	entries: CommandEntry[];
	/** Never rejects: an error that escapes the batch (cancellation) is kept and rethrown in order. */
	answer: Promise<{ outcomes: Map<string, GroupOutcome> } | { error: unknown }>;
}

export interface ScheduleSettings {
	/** Single-command items travel in batches too (the node's "Batching" option). */
	batching: boolean;
	/**
	 * Batches Bitrix24 may be working on at once. Without "Continue On Fail" this is 1: a batch
	 * halts at its first error, and nothing behind it may have been sent.
	 */
	window: number;
}

const groupKey = (itemIndex: number) => `i${itemIndex}`;

export class BatchScheduler {
	private chunk: CommandEntry[] = [];
	private size = 0;
	private sent = 0;
	private readonly inFlight: InFlight[] = [];
	/** Answers in, checked, their items not recorded yet. */
	private readonly answered: Array<{
		entries: CommandEntry[];
		outcomes: Map<string, GroupOutcome>;
	}> = [];
	private readonly later: Array<[number, ItemRequest]> = [];
	private lastYield = 0;

	constructor(
		private readonly transport: Bitrix24Transport,
		private readonly outcomes: ItemOutcomes,
		private readonly settings: ScheduleSettings,
	) {}

	/** Hands the event loop back now and then while batches are in flight (see YIELD_EVERY_MS). */
	async breathe(): Promise<void> {
		if (this.inFlight.length === 0 || Date.now() - this.lastYield < YIELD_EVERY_MS) return;
		for (let turn = this.lastYield === 0 ? YIELDS_AFTER_SEND : 1; turn > 0; turn--) await sleep(0);
		this.lastYield = Date.now();
	}

	async add(itemIndex: number, request: ItemRequest): Promise<void> {
		if (!isCommandRequest(request) || (!this.settings.batching && commandCount(request) === 1)) {
			this.later.push([itemIndex, request]);
			return;
		}
		const commands = commandCount(request);
		if (this.size + commands > MAX_BATCH_COMMANDS && this.chunk.length > 0) await this.dispatch();
		this.chunk.push([itemIndex, request]);
		this.size += commands;
	}

	/** Sends what is left, waits for every answer, then runs what could not be batched. */
	async finish(): Promise<void> {
		if (this.sent === 0 && this.chunk.length === 1 && this.size === 1) {
			// A lone single command (the other items were invalid or not batchable) needs no batch.
			this.later.push(this.chunk[0]);
			this.later.sort((a, b) => a[0] - b[0]);
		} else if (this.chunk.length > 0) {
			await this.dispatch();
		}
		while (this.inFlight.length > 0) await this.settleOldest();
		this.recordAnswered();
		for (const [itemIndex, request] of this.later) {
			if (this.outcomes.stopped) break;
			if (isCommandRequest(request)) await this.sendSingle(itemIndex, request);
			else await this.runCustom(itemIndex, request);
		}
	}

	private async dispatch(): Promise<void> {
		const entries = this.chunk;
		this.chunk = [];
		this.size = 0;
		while (this.inFlight.length >= this.settings.window) await this.settleOldest();
		if (this.outcomes.stopped) return;
		const groups = entries.map(([itemIndex, request]) => ({
			key: groupKey(itemIndex),
			commands: request.commands,
		}));
		// halt=1 without "Continue On Fail": the node stops at the first error anyway, so the
		// items behind it should not be processed by Bitrix24 either.
		const halt = !this.outcomes.continueOnFail;
		this.sent++;
		this.inFlight.push({
			entries,
			answer: sendBatch(this.transport, groups, { halt }).then(
				(outcomes) => ({ outcomes }),
				(error: unknown) => ({ error }),
			),
		});
		this.lastYield = 0;
		if (this.answered.length === 0) return;
		// Let the request get on the wire, then record the previous answers meanwhile.
		for (let turn = YIELDS_AFTER_SEND; turn > 0; turn--) await sleep(0);
		this.lastYield = Date.now();
		this.recordAnswered();
	}

	/** Waits for the oldest batch; a failure in it is recorded at once (and may end the run). */
	private async settleOldest(): Promise<void> {
		const { entries, answer } = this.inFlight.shift()!;
		const settled = await answer;
		if ('error' in settled) throw settled.error;
		this.answered.push({ entries, outcomes: settled.outcomes });
		const failed = [...settled.outcomes.values()].some((outcome) => 'failure' in outcome);
		if (failed) this.recordAnswered();
	}

	private recordAnswered(): void {
		while (this.answered.length > 0) {
			const { entries, outcomes } = this.answered.shift()!;
			for (const [itemIndex, request] of entries) {
				this.outcomes.record(itemIndex, request, outcomes.get(groupKey(itemIndex))!);
			}
		}
	}

	private async sendSingle(itemIndex: number, request: CommandRequest): Promise<void> {
		const [[name, command]] = Object.entries(request.commands);
		let envelope;
		try {
			envelope = await this.transport.call(command.method, command.params as never, command);
		} catch (error) {
			return this.outcomes.fail(itemIndex, error);
		}
		this.outcomes.finish(itemIndex, request, { [name]: envelope.result });
	}

	private async runCustom(
		itemIndex: number,
		request: Extract<ItemRequest, { run: unknown }>,
	): Promise<void> {
		let output;
		try {
			output = await request.run(this.transport);
		} catch (error) {
			return this.outcomes.fail(itemIndex, error);
		}
		this.outcomes.finishRun(itemIndex, output);
	}
}
