/**
 * Filters, sorting and paging of list methods (user.get, crm.status.list).
 * Filter keys carry an operation prefix (`=`, `!`, `%`, `@`, `>`, `<`, ...); pages hold 50 rows,
 * `next` is the offset of the following page, `start=-1` turns counting off.
 */
import { isPhpArray, isSet, phpArrayValues, PhpMap, phpString, PhpValue } from './php-values';
import type { MethodResult } from './methods/context';

const PAGE_SIZE = 50;

export interface FilterCondition {
	field: string;
	operation: string;
	value: PhpValue;
}

/** A map of "<op>FIELD" => value; keys are case-insensitive. */
export function parseFilter(filter: PhpValue | undefined): FilterCondition[] {
	if (!isPhpArray(filter) || Array.isArray(filter)) return [];
	return Object.entries(filter).map(([key, value]) => {
		const match = /^([^A-Za-z_]*)(.*)$/.exec(key) as RegExpExecArray;
		return { operation: match[1], field: match[2].toUpperCase(), value };
	});
}

/** Whether a row's field value satisfies one condition. Booleans compare as Y/N flags. */
export function matchesCondition(rowValue: unknown, condition: FilterCondition): boolean {
	const { operation, value } = condition;
	const negate = operation.startsWith('!');
	const op = negate ? operation.slice(1) : operation;
	let result: boolean;
	if (op === '%') {
		const needle = comparable(value, rowValue).replace(/^%|%$/g, '');
		result = comparable(rowValue, rowValue).includes(needle);
	} else if (op === '@') {
		const options = isPhpArray(value) ? phpArrayValues(value) : phpString(value).split(',');
		result = options.some(
			(option) => comparable(option, rowValue) === comparable(rowValue, rowValue),
		);
	} else if (op === '>' || op === '<' || op === '>=' || op === '<=') {
		const left = Number(rowValue);
		const right = Number(value);
		result =
			op === '>'
				? left > right
				: op === '<'
					? left < right
					: op === '>='
						? left >= right
						: left <= right;
	} else {
		result = comparable(value, rowValue) === comparable(rowValue, rowValue);
	}
	return negate ? !result : result;
}

/** Lowercase text for comparisons; flags become "y"/"n" when the row field is boolean. */
function comparable(value: unknown, rowValue: unknown): string {
	if (typeof rowValue === 'boolean') {
		const text = typeof value === 'boolean' ? (value ? 'y' : 'n') : phpString(value).toLowerCase();
		if (['y', 'true', '1'].includes(text)) return 'y';
		if (['n', 'false', '0', ''].includes(text)) return 'n';
		return text;
	}
	return value === null || value === undefined ? '' : phpString(value).toLowerCase();
}

/** Sort rows by one field (numeric when both sides are numbers). */
export function sortRows<T extends Record<string, unknown>>(
	rows: T[],
	field: string | null,
	direction: string,
): T[] {
	if (!field) return rows;
	const sign = direction.toUpperCase() === 'DESC' ? -1 : 1;
	return [...rows].sort((a, b) => {
		const left = a[field];
		const right = b[field];
		const numeric =
			!Number.isNaN(Number(left)) &&
			!Number.isNaN(Number(right)) &&
			left !== null &&
			right !== null;
		const order = numeric
			? Number(left) - Number(right)
			: phpString(left).localeCompare(phpString(right));
		return order * sign;
	});
}

/** One page of rows with `total` and `next`, as IRestService::setNavData reports them. */
export function page(rows: unknown[], start: number): MethodResult {
	if (start < 0) return { result: rows.slice(0, PAGE_SIZE) };
	const slice = rows.slice(start, start + PAGE_SIZE);
	const result: MethodResult = { result: slice, total: rows.length };
	if (start + slice.length < rows.length) result.next = start + slice.length;
	return result;
}

/** Keeps only the selected keys (in row order); no select or '*' keeps everything. */
export function applySelect(
	row: Record<string, unknown>,
	select: PhpValue | undefined,
): Record<string, unknown> {
	if (!isSet(select) || !isPhpArray(select)) return row;
	const wanted = phpArrayValues(select).map((field) => phpString(field).toUpperCase());
	if (wanted.length === 0 || wanted.includes('*')) return row;
	return Object.fromEntries(Object.entries(row).filter(([key]) => wanted.includes(key)));
}

/** A parameter read case-insensitively (`filter` or `FILTER`). */
export function paramCI(params: PhpMap, name: string): PhpValue | undefined {
	const key = Object.keys(params).find(
		(candidate) => candidate.toLowerCase() === name.toLowerCase(),
	);
	return key === undefined ? undefined : params[key];
}
