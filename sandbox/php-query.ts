/**
 * PHP query-string semantics: parse_str()/$_GET/$_POST on the way in, http_build_query() on the way out.
 *
 * The portal reads form bodies, query strings and batch sub-queries with PHP's bracket syntax
 * (`a[b][]=1`) and sends events with http_build_query().
 * Keys that could pollute JavaScript prototypes are dropped.
 */
import { isPhpArray, Params, PhpMap, PhpValue } from './php-values';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** PHP's max_input_nesting_level. */
const MAX_NESTING = 64;

function isForbiddenKey(key: string): boolean {
	return FORBIDDEN_KEYS.has(key);
}

/** urldecode(): "+" is a space, %XX is a byte, malformed escapes stay literal. */
function phpUrlDecode(input: string): string {
	if (!/[%+]/.test(input)) return input;
	const bytes: number[] = [];
	const raw = Buffer.from(input, 'utf8');
	for (let i = 0; i < raw.length; i++) {
		const byte = raw[i];
		if (byte === 0x2b) {
			bytes.push(0x20);
		} else if (byte === 0x25 && i + 2 < raw.length && isHex(raw[i + 1]) && isHex(raw[i + 2])) {
			bytes.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
			i += 2;
		} else {
			bytes.push(byte);
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

function isHex(byte: number): boolean {
	return (
		(byte >= 0x30 && byte <= 0x39) ||
		(byte >= 0x41 && byte <= 0x46) ||
		(byte >= 0x61 && byte <= 0x66)
	);
}

/** parse_str(): `&`-separated pairs, PHP bracket syntax, last value wins. */
export function parseStr(query: string): Params {
	const pairs: Array<[string, string]> = [];
	for (const pair of query.split('&')) {
		if (pair === '') continue;
		const eq = pair.indexOf('=');
		pairs.push([
			phpUrlDecode(eq === -1 ? pair : pair.slice(0, eq)),
			phpUrlDecode(eq === -1 ? '' : pair.slice(eq + 1)),
		]);
	}
	return parsePairs(pairs);
}

/** Decoded name/value pairs (form fields, multipart fields) registered like $_POST. */
export function parsePairs(pairs: Array<[string, string]>): Params {
	const target: PhpMap = {};
	for (const [name, value] of pairs) registerVariable(target, name, value);
	return listsToArrays(target) as Params;
}

/**
 * php_register_variable_ex(): `a[b][]` -> a.b.(next index). Spaces and dots in the base name
 * become "_", an unclosed first bracket turns into "_", text after the last "]" is ignored.
 */
function registerVariable(target: PhpMap, rawName: string, value: PhpValue): void {
	const name = rawName.replace(/^ +/, '');
	let base = '';
	let bracketAt = -1;
	for (let i = 0; i < name.length; i++) {
		const c = name[i];
		if (c === '[') {
			bracketAt = i;
			break;
		}
		base += c === ' ' || c === '.' ? '_' : c;
	}
	if (base === '') return;

	const indexes: Array<string | null> = [];
	let pos = bracketAt;
	while (pos !== -1) {
		if (indexes.length >= MAX_NESTING) return;
		const start = pos + 1;
		let close: number;
		if (name[start] === ']') {
			indexes.push(null);
			close = start;
		} else {
			close = name.indexOf(']', start);
			if (close === -1) {
				if (indexes.length === 0) base = `${base}_${name.slice(start).replace(/[ .[]/g, '_')}`;
				break;
			}
			indexes.push(name.slice(start, close));
		}
		pos = name[close + 1] === '[' ? close + 1 : -1;
	}
	if (isForbiddenKey(base) || indexes.some((index) => index !== null && isForbiddenKey(index)))
		return;

	let container = target;
	let key = base;
	for (const index of indexes) {
		let child = container[key];
		if (!isPhpArray(child) || Array.isArray(child)) {
			child = {};
			container[key] = child;
		}
		key = index === null ? String(nextFreeIndex(child)) : index;
		container = child;
	}
	container[key] = value;
}

/** PHP's nNextFreeElement: one past the largest non-negative integer key. */
function nextFreeIndex(map: PhpMap): number {
	let next = 0;
	for (const key of Object.keys(map)) {
		if (/^(0|[1-9]\d*)$/.test(key)) next = Math.max(next, Number(key) + 1);
	}
	return next;
}

/** Maps keyed exactly 0..n-1 are PHP lists; give them to handlers as JS arrays (as JSON would). */
function listsToArrays(value: PhpValue): PhpValue {
	if (!isPhpArray(value)) return value;
	if (Array.isArray(value)) return value.map(listsToArrays);
	const keys = Object.keys(value);
	const converted: PhpMap = {};
	for (const key of keys) converted[key] = listsToArrays(value[key]);
	if (keys.length > 0 && keys.every((key, index) => key === String(index)))
		return Object.values(converted);
	return converted;
}

/** Deep copy of parsed JSON without prototype-polluting keys. */
export function sanitizeJson(value: unknown): PhpValue {
	if (Array.isArray(value)) return value.map(sanitizeJson);
	if (typeof value === 'object' && value !== null) {
		const copy: PhpMap = {};
		for (const [key, child] of Object.entries(value)) {
			if (!isForbiddenKey(key)) copy[key] = sanitizeJson(child);
		}
		return copy;
	}
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
		return value;
	return null;
}

/** urlencode(): RFC 1738 style, space as "+", only [A-Za-z0-9_.-] left alone. */
function phpUrlEncode(value: string): string {
	return encodeURIComponent(value)
		.replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
		.replace(/%20/g, '+');
}

/** http_build_query(): nested keys in brackets, null skipped, booleans as 1/0. */
export function httpBuildQuery(data: Record<string, unknown>, prefix = ''): string {
	const parts: string[] = [];
	for (const [key, value] of Object.entries(data)) {
		if (value === undefined || value === null) continue;
		const name = prefix === '' ? key : `${prefix}[${key}]`;
		if (typeof value === 'object') {
			const nested = httpBuildQuery(value as Record<string, unknown>, name);
			if (nested !== '') parts.push(nested);
		} else {
			const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
			parts.push(`${phpUrlEncode(name)}=${phpUrlEncode(text)}`);
		}
	}
	return parts.join('&');
}
