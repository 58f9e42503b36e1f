/**
 * batch (docs/bitrix24-fidelity.md rows 18–19), after CRestProvider::methodsBatch and CRestUtil::ParseBatchQuery:
 * up to 50 string commands "method?query" (PHP parse_str), `$result[key][path]` references,
 * per-command auth/scope/limits, `halt`, and result maps encoded with PHP's array rules.
 */
import { errorEnvelope } from '../envelope';
import { parseStr } from '../php-query';
import {
	isPhpArray,
	Params,
	phpArrayEntries,
	phpArrayToJson,
	PhpMap,
	phpString,
	phpTruthy,
	PhpValue,
} from '../php-values';
import { MethodContext, MethodDefinition, ok } from './context';

/** CRestUtil::BATCH_MAX_LENGTH */
const BATCH_MAX_LENGTH = 50;
const NOT_ALLOWED_IN_BATCH = ['batch', 'upload', 'download'];

/** The accumulator `$result[...]`, `$next[...]`, `$total[...]`, `$time[...]`, `$error[...]` refer to. */
type Accumulator = Record<'result' | 'next' | 'total' | 'time' | 'error', Array<[string, unknown]>>;

/** Upper-cased keys, as array_change_key_case($query, CASE_UPPER). */
function upperKeys(params: Params): PhpMap {
	return Object.fromEntries(
		Object.entries(params).map(([key, value]) => [key.toUpperCase(), value]),
	);
}

/** "method?query" split like parse_url(); the method name as the batch sees it. */
export function splitCommand(command: string): { method: string; query: string } {
	const at = command.indexOf('?');
	const path = at === -1 ? command : command.slice(0, at);
	return {
		method: path.replace(/\.json$/i, '').toLowerCase(),
		query: at === -1 ? '' : command.slice(at + 1),
	};
}

export const batchMethod: MethodDefinition = {
	name: 'batch',
	scope: null,
	async handler(ctx: MethodContext) {
		const query = upperKeys(ctx.params);
		const halt = phpTruthy(query.HALT);
		const acc: Accumulator = { result: [], next: [], total: [], time: [], error: [] };
		const commands = isPhpArray(query.CMD) ? phpArrayEntries(query.CMD) : [];

		for (const [index, [key, command]] of commands.entries()) {
			let outcome:
				| { error: Record<string, unknown> }
				| { result: unknown; next?: number; total?: number; time?: unknown };
			if (index >= BATCH_MAX_LENGTH) {
				outcome = {
					error: {
						error: 'ERROR_BATCH_LENGTH_EXCEEDED',
						error_description: 'Max batch length exceeded',
					},
				};
			} else if (typeof command !== 'string') {
				// Non-string commands are skipped silently, but they count towards the 50.
				continue;
			} else {
				const { method, query: subQuery } = splitCommand(command);
				if (NOT_ALLOWED_IN_BATCH.includes(method)) {
					outcome = {
						error: {
							error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
							error_description: 'Method is not allowed for batch usage',
						},
					};
				} else {
					const params = substituteReferences(parseStr(subQuery), acc) as Params;
					const invoked = await ctx.invoke(method, params);
					outcome = invoked.ok
						? {
								result: invoked.result,
								next: invoked.next,
								total: invoked.total,
								time: invoked.time,
							}
						: { error: errorEnvelope(invoked.error, ctx.runtime.settings.errorCodeStyle) };
				}
			}
			if ('error' in outcome) {
				acc.error.push([key, outcome.error]);
				if (halt) break;
				continue;
			}
			acc.result.push([key, outcome.result]);
			if (outcome.next !== undefined) acc.next.push([key, outcome.next]);
			if (outcome.total !== undefined) acc.total.push([key, outcome.total]);
			if (outcome.time !== undefined) acc.time.push([key, outcome.time]);
		}

		return ok({
			result: phpArrayToJson(acc.result),
			result_error: phpArrayToJson(acc.error),
			result_total: phpArrayToJson(acc.total),
			result_next: phpArrayToJson(acc.next),
			result_time: phpArrayToJson(acc.time),
		});
	},
};

/**
 * CRestUtil::processBatchElement on every value: `$result[...]` (and $next, $total, $time, $error)
 * followed by any non-space text is the reference. Path segments are walked while they exist, so a
 * bad path keeps the deepest level found. A value that is exactly the reference gets the raw value
 * (arrays included); otherwise the whole match, trailing text included, is replaced by the string form.
 */
function substituteReferences(value: PhpValue, acc: Accumulator): PhpValue {
	if (Array.isArray(value)) return value.map((item) => substituteReferences(item, acc));
	if (isPhpArray(value)) {
		return Object.fromEntries(
			Object.entries(value).map(([key, item]) => [key, substituteReferences(item, acc)]),
		);
	}
	if (typeof value !== 'string') return value;
	let text: PhpValue = value;
	for (const match of value.matchAll(/\$(result|next|total|time|error)(\S*)/gi)) {
		const path = [...match[2].matchAll(/\[([^\]]+)\]/g)].map((segment) => segment[1]);
		if (path.length === 0) continue;
		let resolved: unknown = asMap(acc[match[1] as keyof Accumulator]) ?? null;
		for (const segment of path) {
			const next = child(resolved, segment);
			if (next === undefined || next === null) break;
			resolved = next;
		}
		if (match[0] === value) return resolved as PhpValue;
		if (typeof text === 'string') text = text.split(match[0]).join(stringify(resolved));
	}
	return text;
}

/** $arResult['result'] etc.; `$RESULT[...]` matches the pattern but names no accumulator (null). */
function asMap(entries: Array<[string, unknown]> | undefined): Record<string, unknown> | undefined {
	return entries ? Object.fromEntries(entries) : undefined;
}

/** isset($r[$key]) then $r[$key]; strings allow offset access like PHP. */
function child(container: unknown, key: string): unknown {
	if (typeof container === 'string')
		return /^\d+$/.test(key) && Number(key) < container.length ? container[Number(key)] : undefined;
	if (typeof container !== 'object' || container === null) return undefined;
	return (container as Record<string, unknown>)[key];
}

/** str_replace() with a scalar: true "1", false/null "", arrays "Array". */
function stringify(value: unknown): string {
	if (typeof value === 'object' && value !== null) return 'Array';
	return phpString(value as PhpValue);
}
