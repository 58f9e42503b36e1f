/**
 * How Bitrix24's `batch` reads commands and what its answers mean (apart from batch.ts, which
 * sends, to keep files small).
 *
 * Commands are strings `method?query`, which Bitrix24 splits with PHP's `parse_url` and
 * `parse_str`. Values are therefore encoded the way PHP's `http_build_query` does (bracket keys
 * for arrays and objects), and every value is percent-encoded, so that `&` or `=` inside a
 * caller's data can never inject a parameter.
 *
 * Refusals that mean success: a command may say that one of Bitrix24's refusals shows its effect is
 * already in place (Attach Record: "File with this name already exists." for the recording's own
 * name, stored by an attempt whose answer was lost; docs/bitrix24-fidelity.md row 51). Such a
 * refusal becomes the command's result. Inside a `batch` with halt=1 Bitrix24 still stopped at it,
 * so the groups behind it, which came back without a result, are found here to be sent again.
 */
import type { IDataObject } from 'n8n-workflow';

import { Bitrix24Failure } from './errors';

/**
 * A parameter whose value is another command's result in the same batch: `$result[key][path]`,
 * optionally followed by text. Bitrix24 takes everything up to the next whitespace as the
 * reference (`CRestUtil::processBatchElement`), so the text must start with a space.
 */
export class BatchReference {
	constructor(
		readonly command: string,
		readonly path: string[],
		readonly suffix = '',
	) {
		if (suffix !== '' && !/^\s/.test(suffix))
			throw new Error('Text after a batch reference must start with whitespace');
	}

	followedBy(suffix: string): BatchReference {
		return new BatchReference(this.command, this.path, suffix);
	}
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
		out.push(`${encodeKey(prefix)}=$result${path}${encodeURIComponent(value.suffix)}`);
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

/** The result to report for a refusal that means "already done", or `undefined` to keep it. */
export type AcceptRefusal = (failure: Bitrix24Failure) => unknown;

/** A refusal the command accepts as done, else undefined. */
export function acceptedRefusal(
	command: { acceptRefusal?: AcceptRefusal },
	failure: unknown,
): unknown {
	if (!command.acceptRefusal || !(failure instanceof Bitrix24Failure)) return undefined;
	return failure.kind === 'rejected' ? command.acceptRefusal(failure) : undefined;
}

type Outcome =
	| { results: Record<string, unknown> }
	| { failure: Error; done: Record<string, unknown> };

/**
 * The groups (in batch order) that Bitrix24 did not run because halt=1 stopped it at a refusal a
 * command then accepted: those after the first accepted group that came back untouched (NO_RESULT).
 */
export function haltedBehindAccepted(
	groups: Array<{ key: string }>,
	answer: Map<string, Outcome>,
	accepted: Set<string>,
	halt: boolean,
): Set<string> {
	const keys = new Set<string>();
	if (!halt || accepted.size === 0) return keys;
	let behind = false;
	for (const { key } of groups) {
		const outcome = answer.get(key)!;
		if (accepted.has(key)) behind = true;
		else if (behind && 'failure' in outcome && isUntouched(outcome)) keys.add(key);
		else if ('failure' in outcome) break;
	}
	return keys;
}

function isUntouched(outcome: { failure: Error; done: Record<string, unknown> }): boolean {
	return (
		Object.keys(outcome.done).length === 0 &&
		outcome.failure instanceof Bitrix24Failure &&
		outcome.failure.details.code === 'NO_RESULT'
	);
}
