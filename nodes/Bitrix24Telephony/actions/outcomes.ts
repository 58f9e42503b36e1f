/**
 * What became of each input item, and the node's output built from it: every item in input
 * order with `pairedItem`, a failed item in n8n's shape. Without "Continue On Fail" the first
 * failure ends the run (it is thrown); with it, the item fails alone and the others go on.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import type { Redactor } from '../transport/auth/redact';
import type { GroupOutcome } from '../transport/batch';
import { toNodeError } from '../transport/errors';
import { Bitrix24Failure } from '../transport/failure';
import type { CommandRequest } from './types';

type Outcome = { output: IDataObject[] } | { error: NodeApiError | NodeOperationError };

export class ItemOutcomes {
	private readonly outcomes = new Map<number, Outcome>();
	private failed = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly continueOnFail: boolean,
		private readonly redactor: Redactor,
	) {}

	/** True once an item failed without "Continue On Fail": nothing more may be sent. */
	get stopped(): boolean {
		return this.failed && !this.continueOnFail;
	}

	/** Records an item's failure; without "Continue On Fail" the first one ends the run. */
	fail(itemIndex: number, error: unknown): void {
		const nodeError = toNodeError(this.ctx, error, itemIndex);
		this.outcomes.set(itemIndex, { error: nodeError });
		this.failed = true;
		if (!this.continueOnFail) throw nodeError;
	}

	succeed(itemIndex: number, output: IDataObject | IDataObject[]): void {
		this.outcomes.set(itemIndex, { output: Array.isArray(output) ? output : [output] });
	}

	/** The commands' results (by name), redacted, through the operation's output builder. */
	finish(itemIndex: number, request: CommandRequest, results: Record<string, unknown>): void {
		this.succeed(itemIndex, request.output(this.redactor.value(results)));
	}

	/** A custom flow's own output, redacted. */
	finishRun(itemIndex: number, output: IDataObject | IDataObject[]): void {
		this.succeed(itemIndex, this.redactor.value(output));
	}

	/** One item's share of a batch answer. */
	record(itemIndex: number, request: CommandRequest, outcome: GroupOutcome): void {
		if ('results' in outcome) this.finish(itemIndex, request, outcome.results);
		else this.fail(itemIndex, withCompletedSteps(outcome.failure, outcome.done));
	}

	/** The node's output: each item's result(s) or error, in input order, paired to its item. */
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
