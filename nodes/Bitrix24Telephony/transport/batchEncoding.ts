/**
 * `batch` commands are strings `method?query`, which Bitrix24 splits with PHP's `parse_url` and
 * `parse_str`. Values are therefore encoded the way PHP's `http_build_query` does (bracket keys
 * for arrays and objects), and every value is percent-encoded, so that `&` or `=` inside a
 * caller's data can never inject a parameter. (Apart from batch.ts to keep files small.)
 */
import type { IDataObject } from 'n8n-workflow';

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
