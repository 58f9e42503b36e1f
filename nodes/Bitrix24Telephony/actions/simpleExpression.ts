/**
 * Most PBX workflows map fields with nothing more than `={{ $json.caller }}` or
 * `={{ $json["event"].linkedid }}`. n8n evaluates each such expression by building a whole
 * workflow data proxy (with `$now`, `$today`, the sandbox…), which is most of the time a run of
 * 1,000 items spends before its first request. Such an expression only reads the current input
 * item's JSON at a fixed path, so it is resolved here directly.
 *
 * Only what is certainly what n8n would return is resolved: the path must exist through plain
 * objects and arrays, end at JSON data (string, number, boolean, null, plain objects and arrays),
 * and avoid the property names n8n's sandbox treats specially. Everything else (a missing path,
 * dates, any other expression) returns NOT_SIMPLE, and the caller asks n8n.
 */

export const NOT_SIMPLE = Symbol('not a simple expression');

/** `={{ $json…path… }}` with whitespace inside the braces only. */
const SIMPLE =
	/^=\{\{\s*\$json((?:\.[A-Za-z_$][\w$]*|\[\s*(?:"[^"\\]*"|'[^'\\]*'|\d+)\s*\])+)\s*\}\}$/;
const STEP = /\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)'|(\d+))\s*\]/g;

/** Names n8n's expression sandbox blocks or rewrites; such a path is left to n8n. */
const GUARDED = new Set([
	'prototype',
	'constructor',
	'getPrototypeOf',
	'mainModule',
	'binding',
	'caller',
	'arguments',
	'length',
]);

const paths = new Map<string, string[] | undefined>();

/** The property names of a simple `$json` expression, or undefined for any other string. */
export function simplePath(expression: string): string[] | undefined {
	if (paths.has(expression)) return paths.get(expression);
	let path: string[] | undefined;
	const match = SIMPLE.exec(expression);
	if (match) {
		path = [];
		for (const step of match[1].matchAll(STEP)) path.push(step[1] ?? step[2] ?? step[3] ?? step[4]);
		if (path.some((key) => GUARDED.has(key) || key.startsWith('_') || key.startsWith('$')))
			path = undefined;
	}
	if (paths.size < 1000) paths.set(expression, path);
	return path;
}

function isPlainObject(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

const MAX_DEPTH = 32;

/** A copy of JSON data (so the caller cannot change the item), or NOT_SIMPLE for anything else. */
function copyJson(value: unknown, depth = 0): unknown {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
	if (typeof value === 'number') return value;
	if (typeof value !== 'object' || depth > MAX_DEPTH) return NOT_SIMPLE;
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (const element of value) {
			const copied = copyJson(element, depth + 1);
			if (copied === NOT_SIMPLE) return NOT_SIMPLE;
			out.push(copied);
		}
		return out;
	}
	if (!isPlainObject(value)) return NOT_SIMPLE;
	const out: Record<string, unknown> = {};
	for (const [key, element] of Object.entries(value)) {
		// JSON may carry an own "__proto__" key; assigning it would set the copy's prototype.
		if (key === '__proto__') return NOT_SIMPLE;
		const copied = copyJson(element, depth + 1);
		if (copied === NOT_SIMPLE) return NOT_SIMPLE;
		out[key] = copied;
	}
	return out;
}

/** `json` at `path`, copied, when every step is an own property of a plain object or array. */
export function readJsonPath(json: unknown, path: string[]): unknown {
	let value = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return NOT_SIMPLE;
		if (Array.isArray(value) ? !/^\d+$/.test(key) : !isPlainObject(value)) return NOT_SIMPLE;
		if (!Object.prototype.hasOwnProperty.call(value, key)) return NOT_SIMPLE;
		value = (value as Record<string, unknown>)[key];
	}
	return value === undefined ? NOT_SIMPLE : copyJson(value);
}

/**
 * A raw parameter value resolved against the item's JSON as n8n would: plain values as they
 * are, objects and arrays rebuilt with each member resolved, strings that are simple `$json`
 * expressions read from the item (`json` gives its JSON, or NOT_SIMPLE when there is no such
 * item). NOT_SIMPLE as soon as anything needs n8n.
 */
export function resolveSimply(raw: unknown, json: () => unknown, depth = 0): unknown {
	if (typeof raw === 'string') {
		if (!raw.startsWith('=')) return raw;
		const path = simplePath(raw);
		if (!path) return NOT_SIMPLE;
		const data = json();
		return data === NOT_SIMPLE ? NOT_SIMPLE : readJsonPath(data, path);
	}
	if (raw === null || typeof raw !== 'object') return raw;
	if (depth > MAX_DEPTH) return NOT_SIMPLE;
	if (Array.isArray(raw)) {
		const out: unknown[] = [];
		for (const element of raw) {
			const resolved = resolveSimply(element, json, depth + 1);
			if (resolved === NOT_SIMPLE) return NOT_SIMPLE;
			out.push(resolved);
		}
		return out;
	}
	const out: Record<string, unknown> = {};
	for (const [key, element] of Object.entries(raw)) {
		if (key === '__proto__') return NOT_SIMPLE;
		const resolved = resolveSimply(element, json, depth + 1);
		if (resolved === NOT_SIMPLE) return NOT_SIMPLE;
		out[key] = resolved;
	}
	return out;
}
