/**
 * PHP value semantics the portal applies to request parameters.
 *
 * Bitrix24 is PHP: parameters are cast with (int), (string), (bool) and compared loosely.
 * The quirks are part of the contract: "false" is truthy, "2" == 2,
 * (int)"12abc" is 12. These helpers reproduce PHP 8 behaviour for the values a request can carry.
 */

export type PhpScalar = string | number | boolean | null;
export type PhpValue = PhpScalar | PhpValue[] | PhpMap;
export interface PhpMap {
	[key: string]: PhpValue;
}
/** Parsed request parameters (a PHP associative array). */
export type Params = PhpMap;

const LEADING_NUMBER = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;
const NUMERIC_STRING =
	/^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** PHP isset(): present and not null. */
export function isSet<T>(value: T | null | undefined): value is T {
	return value !== undefined && value !== null;
}

export function isPhpArray(value: unknown): value is PhpValue[] | PhpMap {
	return typeof value === 'object' && value !== null;
}

/** Values of a PHP array, whether it arrived as a JSON list or as a keyed map. */
export function phpArrayValues(value: PhpValue[] | PhpMap): PhpValue[] {
	return Array.isArray(value) ? value : Object.values(value);
}

/** Key/value pairs of a PHP array (list indexes become "0", "1", ...). */
export function phpArrayEntries(value: PhpValue[] | PhpMap): Array<[string, PhpValue]> {
	return Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
}

/** (int)$value */
export function phpInt(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'string') {
		const match = LEADING_NUMBER.exec(value);
		if (!match) return 0;
		const n = Math.trunc(Number(match[1]));
		return Number.isFinite(n) ? n : 0;
	}
	if (isPhpArray(value)) return phpArrayValues(value as PhpMap).length > 0 ? 1 : 0;
	return 0;
}

/** (double)$value */
export function phpFloat(value: unknown): number {
	if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (typeof value === 'string') {
		const match = LEADING_NUMBER.exec(value);
		return match ? Number(match[1]) : 0;
	}
	if (isPhpArray(value)) return phpArrayValues(value as PhpMap).length > 0 ? 1 : 0;
	return 0;
}

/** (string)$value — arrays become "Array" like PHP does (with a notice). */
export function phpString(value: unknown): string {
	if (value === undefined || value === null || value === false) return '';
	if (value === true) return '1';
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return 'Array';
}

/** (bool)$value: "", "0", 0, 0.0, null, false and empty arrays are false; everything else ("false"!) is true. */
export function phpTruthy(value: unknown): boolean {
	if (value === undefined || value === null || value === false) return false;
	if (typeof value === 'string') return value !== '' && value !== '0';
	if (typeof value === 'number') return value !== 0;
	if (isPhpArray(value)) return phpArrayValues(value as PhpMap).length > 0;
	return true;
}

function isPhpNumericString(value: string): boolean {
	return NUMERIC_STRING.test(value);
}

/** $value == $int under PHP 8 rules (used by in_array() without strict). */
export function phpLooseEqualsInt(value: unknown, n: number): boolean {
	if (typeof value === 'number') return value === n;
	if (typeof value === 'boolean') return value === (n !== 0);
	if (typeof value === 'string') {
		return isPhpNumericString(value) ? Number(value) === n : value === String(n);
	}
	return false;
}

/** $value == '' under PHP 8 rules. */
export function phpLooseEqualsEmptyString(value: unknown): boolean {
	if (value === undefined || value === null || value === false) return true;
	if (typeof value === 'string') return value === '';
	return false;
}

/**
 * json_encode() of a PHP array: a list (keys 0..n-1 in order) becomes a JSON array,
 * anything else an object; an empty array is always [].
 */
export function phpArrayToJson(
	entries: Array<[string, unknown]>,
): unknown[] | Record<string, unknown> {
	const isList = entries.every(([key], index) => key === String(index));
	if (isList) return entries.map(([, value]) => value);
	const object: Record<string, unknown> = {};
	for (const [key, value] of entries) object[key] = value;
	return object;
}
