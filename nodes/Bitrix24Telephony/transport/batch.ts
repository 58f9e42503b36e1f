/**
 * Several commands in one `batch` request, and each command's result or failure back. Commands
 * travel in groups (one item's commands): a later command of a group may use an earlier one's
 * result (`BatchReference`), so a group is encoded, resent and reported as a whole.
 *
 * Commands that Bitrix24 refused with 429 OPERATION_TIME_LIMIT were not executed (the limit is
 * checked before a method runs): when Bitrix24 said the block lifts soon, their groups wait for it
 * and go again, here, so that callers only ever see final outcomes.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	acceptedRefusal,
	asKeyedMap,
	encodeBatchCommand,
	haltedBehindAccepted,
	type AcceptRefusal,
} from './batchProtocol';
import { failureFromAnswer } from './classify';
import { Bitrix24Failure } from './errors';
import { operatingLimitFailure, operatingWait, rememberOperatingReset } from './operatingBudget';
import { waitFor } from './rateLimiter';
import type { Bitrix24Transport } from './transport';

export {
	asKeyedMap,
	BatchReference,
	encodeBatchCommand,
	type BatchParamValue,
} from './batchProtocol';

/** Bitrix24 executes at most 50 commands per batch. */
export const MAX_BATCH_COMMANDS = 50;

/** One REST call. */
export interface Bitrix24Command {
	method: string;
	/** Bitrix24's parameter names; values may include `BatchReference`s to an earlier command. */
	params: Record<string, unknown>;
	/** Safe to send again if the answer was lost. */
	idempotent: boolean;
	/**
	 * For a refusal that means this command's effect is already in place (a recording stored under
	 * its call's own name by an attempt whose answer was lost): the result to report instead.
	 * `undefined` keeps the refusal.
	 */
	acceptRefusal?: AcceptRefusal;
}

/** Commands that travel together, by name; `key` must be unique within the batch. */
export interface BatchGroup {
	key: string;
	commands: Record<string, Bitrix24Command>;
}

/**
 * A group's results by command name, or the failure that stopped it and what ran before. The
 * failure is a `Bitrix24Failure`, except when n8n itself failed before sending (e.g. reading the
 * credential): that error is passed on as it is.
 */
export type GroupOutcome =
	| { results: Record<string, unknown> }
	| { failure: Error; done: Record<string, unknown> };

export interface BatchOptions {
	/**
	 * halt=1: Bitrix24 stops at the first failing command; nothing behind it is executed (those
	 * commands come back as failures with code NO_RESULT).
	 */
	halt: boolean;
	/** Hears each command's server time (`result_time`), for sizing and pacing the next requests. */
	onTime?: (method: string, time: IDataObject) => void;
}

export function commandCount(group: { commands: Record<string, unknown> }): number {
	return Object.keys(group.commands).length;
}

/** Batch keys are `<group>_<command>`; references between commands use the same keys. */
function commandKey(group: string, name: string): string {
	return `${group}_${name}`;
}

export async function sendBatch(
	transport: Bitrix24Transport,
	groups: BatchGroup[],
	options: BatchOptions,
): Promise<Map<string, GroupOutcome>> {
	const outcomes = new Map<string, GroupOutcome>();
	let pending = groups;
	let operatingWaits = 0;
	while (pending.length > 0) {
		const answer = await postBatch(transport, pending, options);
		const halted = haltedBehindAccepted(pending, answer, answer.accepted, options.halt);
		if (halted.size > 0) {
			// Bitrix24 stopped at a refusal that turned out to be success: what it did not run goes
			// again at once. Each round settles at least the accepted group, so this ends.
			for (const group of pending) {
				if (!halted.has(group.key))
					outcomes.set(group.key, final(transport, answer.get(group.key)!));
			}
			pending = pending.filter((group) => halted.has(group.key));
			continue;
		}
		const resend = blockedGroups(pending, answer, options);
		const wait =
			resend.method === undefined
				? undefined
				: operatingWait(transport.connection.budgetKey, resend.method, transport.settings);
		// Bounded: one wait, and another only when the previous one let some commands through.
		const progressed = [...answer.values()].some((o) => 'results' in o);
		// With halt=1 another failure stops the run at once: nothing is resent behind it.
		const stopsAnyway =
			options.halt &&
			pending.some((g) => 'failure' in answer.get(g.key)! && !resend.keys.has(g.key));
		const retry = wait !== undefined && (operatingWaits === 0 || progressed) && !stopsAnyway;
		for (const group of pending) {
			if (retry && resend.keys.has(group.key)) continue;
			outcomes.set(group.key, final(transport, answer.get(group.key)!));
		}
		if (!retry || resend.method === undefined) break;
		await waitFor(wait, resend.method, transport.cancelSignal());
		operatingWaits++;
		pending = pending.filter((group) => resend.keys.has(group.key));
	}
	// In the order the groups were given, whatever was resent.
	return new Map(groups.map((group) => [group.key, outcomes.get(group.key)!]));
}

function isOperatingLimit(failure: Error): failure is Bitrix24Failure {
	return failure instanceof Bitrix24Failure && failure.kind === 'operatingLimit';
}

function final(transport: Bitrix24Transport, outcome: GroupOutcome): GroupOutcome {
	if ('results' in outcome || !isOperatingLimit(outcome.failure)) return outcome;
	return {
		...outcome,
		failure: operatingLimitFailure(transport.connection.budgetKey, outcome.failure),
	};
}

/** One batch's outcomes, and the groups in which a refusal was accepted as success. */
type SentOutcomes = Map<string, GroupOutcome> & { accepted: Set<string> };

/** One `batch` request (the transport may repeat it where harmless), each group's outcome. */
async function postBatch(
	transport: Bitrix24Transport,
	groups: BatchGroup[],
	{ halt, onTime }: BatchOptions,
): Promise<SentOutcomes> {
	const cmd: Record<string, string> = {};
	let idempotent = true;
	for (const group of groups) {
		const keyOf = (name: string) => commandKey(group.key, name);
		for (const [name, command] of Object.entries(group.commands)) {
			cmd[keyOf(name)] = encodeBatchCommand(command.method, command.params, keyOf);
			idempotent &&= command.idempotent;
		}
	}
	const outcomes: SentOutcomes = Object.assign(new Map<string, GroupOutcome>(), {
		accepted: new Set<string>(),
	});
	let body: IDataObject;
	let answeredAt: number | undefined;
	try {
		const envelope = await transport.call('batch', { halt: halt ? 1 : 0, cmd }, { idempotent });
		body = (envelope.result ?? {}) as IDataObject;
		answeredAt = Number(envelope.time?.finish) || undefined;
	} catch (error) {
		for (const group of groups)
			outcomes.set(group.key, { failure: forGroup(error, group), done: {} });
		return outcomes;
	}
	const results = asKeyedMap(body.result);
	const errors = asKeyedMap(body.result_error);
	const times = asKeyedMap(body.result_time);
	const { budgetKey, redactor } = transport.connection;
	for (const group of groups) {
		const done: Record<string, unknown> = {};
		let failure: Bitrix24Failure | undefined;
		for (const [name, command] of Object.entries(group.commands)) {
			const key = commandKey(group.key, name);
			// Each executed command reports its own method's operating time.
			const time = times[key];
			if (time && typeof time === 'object') {
				rememberOperatingReset(budgetKey, command.method, time as IDataObject, answeredAt);
				onTime?.(command.method, time as IDataObject);
			}
			if (failure) continue;
			if (key in errors) {
				const refusal = failureFromAnswer(redactor, command.method, errors[key], 400);
				const accepted = acceptedRefusal(command, refusal);
				if (accepted === undefined) failure = refusal;
				else {
					done[name] = accepted;
					outcomes.accepted.add(group.key);
				}
			} else if (!(key in results)) {
				failure = failureFromAnswer(
					redactor,
					command.method,
					{
						error: 'NO_RESULT',
						error_description:
							'Bitrix24 returned no result for this command (an earlier command in the batch failed)',
					},
					200,
				);
			} else done[name] = results[key];
		}
		outcomes.set(group.key, failure ? { failure, done } : { results: done });
	}
	return outcomes;
}

/** The groups of a batch that Bitrix24 left untouched because a method was blocked (429). */
function blockedGroups(
	groups: BatchGroup[],
	answer: Map<string, GroupOutcome>,
	{ halt }: BatchOptions,
): { method?: string; keys: Set<string> } {
	const keys = new Set<string>();
	let method: string | undefined;
	for (const group of groups) {
		const outcome = answer.get(group.key)!;
		if ('results' in outcome) continue;
		const untouched = Object.keys(outcome.done).length === 0;
		const { failure } = outcome;
		if (untouched && isOperatingLimit(failure)) {
			method ??= failure.details.method;
			keys.add(group.key);
		} else if (
			untouched &&
			method !== undefined &&
			halt &&
			failure instanceof Bitrix24Failure &&
			failure.details.code === 'NO_RESULT'
		) {
			// halt=1 stopped the batch at the blocked command: nothing behind it ran.
			keys.add(group.key);
		} else if (halt) {
			// With halt=1 the caller stops at the first other failure; leave the rest to it.
			break;
		}
	}
	return { method, keys };
}

/**
 * A failure of a whole `batch` request, told in terms of the group's own method(s): "the answer
 * to telephony.externalcall.finish (in a batch) was lost" says more than "…to batch…".
 */
function forGroup(error: unknown, group: BatchGroup): Error {
	if (!(error instanceof Bitrix24Failure) || error.details.method !== 'batch')
		return error as Error;
	const methods = `${[...new Set(Object.values(group.commands).map((c) => c.method))].join(' + ')} (in a batch)`;
	const rename = (text: string) => text.split(' batch').join(` ${methods}`);
	return new Bitrix24Failure({
		...error.details,
		method: methods,
		message: rename(error.details.message),
		description: rename(error.details.description),
	});
}
