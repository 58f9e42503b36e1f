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

import { failureFromAnswer } from './classify';
import { Bitrix24Failure } from './errors';
import { operatingLimitFailure, operatingWait, rememberOperatingReset } from './operatingLimit';
import type { Bitrix24Transport } from './transport';
import { waitFor } from './wait';

/** Bitrix24 executes at most 50 commands per batch. */
export const MAX_BATCH_COMMANDS = 50;

/** One REST call. */
export interface Bitrix24Command {
	method: string;
	/** Bitrix24's parameter names; values may include `BatchReference`s to an earlier command. */
	params: Record<string, unknown>;
	/** Safe to send again if the answer was lost. */
	idempotent: boolean;
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
	for (let operatingWaits = 0; pending.length > 0; operatingWaits++) {
		const answer = await postBatch(transport, pending, options);
		const resend = blockedGroups(pending, answer, options);
		const wait =
			resend.method === undefined
				? undefined
				: operatingWait(transport.connection.portalUrl, resend.method, transport.settings);
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
		failure: operatingLimitFailure(transport.connection.portalUrl, outcome.failure),
	};
}

/** One `batch` request (the transport may repeat it where harmless), each group's outcome. */
async function postBatch(
	transport: Bitrix24Transport,
	groups: BatchGroup[],
	{ halt }: BatchOptions,
): Promise<Map<string, GroupOutcome>> {
	const cmd: Record<string, string> = {};
	let idempotent = true;
	for (const group of groups) {
		const keyOf = (name: string) => commandKey(group.key, name);
		for (const [name, command] of Object.entries(group.commands)) {
			cmd[keyOf(name)] = encodeBatchCommand(command.method, command.params, keyOf);
			idempotent &&= command.idempotent;
		}
	}
	const outcomes = new Map<string, GroupOutcome>();
	let body: IDataObject;
	try {
		const envelope = await transport.call('batch', { halt: halt ? 1 : 0, cmd }, { idempotent });
		body = (envelope.result ?? {}) as IDataObject;
	} catch (error) {
		for (const group of groups)
			outcomes.set(group.key, { failure: forGroup(error, group), done: {} });
		return outcomes;
	}
	const results = asKeyedMap(body.result);
	const errors = asKeyedMap(body.result_error);
	const times = asKeyedMap(body.result_time);
	const { portalUrl, redactor } = transport.connection;
	for (const group of groups) {
		const done: Record<string, unknown> = {};
		let failure: Bitrix24Failure | undefined;
		for (const [name, command] of Object.entries(group.commands)) {
			const key = commandKey(group.key, name);
			// Each executed command reports its own method's operating time.
			const time = times[key];
			if (time && typeof time === 'object')
				rememberOperatingReset(portalUrl, command.method, time as IDataObject);
			if (failure) continue;
			if (key in errors) {
				failure = failureFromAnswer(redactor, command.method, errors[key], 400);
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

/*
 * `batch` commands are strings `method?query`, which Bitrix24 splits with PHP's `parse_url` and
 * `parse_str`. Values are therefore encoded the way PHP's `http_build_query` does (bracket keys
 * for arrays and objects), and every value is percent-encoded, so that `&` or `=` inside a
 * caller's data can never inject a parameter.
 */

/** A parameter whose value is another command's result in the same batch: `$result[key][path]`. */
export class BatchReference {
	constructor(
		readonly command: string,
		readonly path: string[],
	) {}
}

export type BatchParamValue =
	| string
	| number
	| boolean
	| null
	| undefined
	| BatchReference
	| BatchParamValue[]
	| { [key: string]: BatchParamValue };

function encodeKey(key: string): string {
	return encodeURIComponent(key).replace(/%5B/gi, '[').replace(/%5D/gi, ']');
}

function flatten(
	prefix: string,
	value: BatchParamValue,
	out: string[],
	commandKeys: (name: string) => string,
): void {
	if (value === undefined || value === null) return; // http_build_query drops nulls too
	if (value instanceof BatchReference) {
		const path = [commandKeys(value.command), ...value.path].map((p) => `[${p}]`).join('');
		out.push(`${encodeKey(prefix)}=$result${path}`);
		return;
	}
	if (Array.isArray(value)) {
		value.forEach((v, i) => flatten(`${prefix}[${i}]`, v, out, commandKeys));
		return;
	}
	if (typeof value === 'object') {
		for (const [k, v] of Object.entries(value)) flatten(`${prefix}[${k}]`, v, out, commandKeys);
		return;
	}
	const scalar = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
	out.push(`${encodeKey(prefix)}=${encodeURIComponent(scalar)}`);
}

/**
 * `telephony.externalcall.finish?CALL_ID=$result[i0_reg][CALL_ID]&DURATION=95`.
 * `commandKeys` maps a reference's command name to its key in this batch.
 */
export function encodeBatchCommand(
	method: string,
	params: IDataObject | Record<string, unknown>,
	commandKeys: (name: string) => string = (name) => name,
): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(params))
		flatten(key, value as BatchParamValue, parts, commandKeys);
	return parts.length ? `${method}?${parts.join('&')}` : method;
}

/** PHP turns empty maps into `[]` and all-numeric-key maps into lists: read both shapes. */
export function asKeyedMap(value: unknown): Record<string, unknown> {
	if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
	if (value !== null && typeof value === 'object') return value as Record<string, unknown>;
	return {};
}
