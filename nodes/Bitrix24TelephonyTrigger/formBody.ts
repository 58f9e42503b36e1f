/**
 * Bitrix24 posts events as `application/x-www-form-urlencoded` with PHP bracket keys
 * (`data[CALL_ID]=…&auth[domain]=…`, docs/bitrix24-fidelity.md rows 27–29), but n8n parses form bodies with Node's
 * `querystring` (max. 1000 keys, no nesting), so the node receives them flat:
 * `{ 'data[CALL_ID]': '…' }`. This module rebuilds the nesting the way PHP's `parse_str` does,
 * from the raw body when n8n kept it (`req.rawBody`: complete and in order) or else from the flat
 * keys. No query-string library is allowed in a verified node, and the body comes from anyone
 * who knows the URL, so the parser is strict: it refuses, rather than repairs, anything a
 * Bitrix24 portal would never send (prototype keys, deep nesting, thousands of fields).
 */

/** A parsed form value: strings as sent, maps for bracket keys, arrays for PHP lists. */
export type FormValue = string | FormMap | FormValue[];

export interface FormMap {
	[key: string]: FormValue;
}

export interface FormLimits {
	/** Bytes of the raw body (a real event is 1–3 KB). */
	maxBytes: number;
	/** Name/value pairs (a real event has about 25). */
	maxFields: number;
	/** Bracket levels in one name (a real event needs 3: `data[CRM_CREATED_ENTITIES][0][ENTITY_ID]`). */
	maxDepth: number;
	/** Characters of one field name. */
	maxNameLength: number;
}

export const FORM_LIMITS: FormLimits = {
	maxBytes: 64 * 1024,
	maxFields: 200,
	maxDepth: 5,
	maxNameLength: 256,
};

export type FormParseResult = { ok: true; body: FormMap } | { ok: false; reason: string };

/** Keys that would reach `Object.prototype` (or look like they try to): never legitimate. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `base[a][b][]`: a base without brackets, then any number of bracket groups. */
const FIELD_NAME = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;
const BRACKET_GROUP = /\[([^[\]]*)\]/g;

const hasOwn = (map: FormMap, key: string): boolean =>
	Object.prototype.hasOwnProperty.call(map, key);

export function isFormMap(value: unknown): value is FormMap {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): FormParseResult {
	return { ok: false, reason };
}

function isHexDigit(byte: number): boolean {
	return (
		(byte >= 0x30 && byte <= 0x39) ||
		(byte >= 0x41 && byte <= 0x46) ||
		(byte >= 0x61 && byte <= 0x66)
	);
}

/**
 * `urldecode()`: `+` is a space, `%XX` a byte, the bytes are UTF-8. A malformed escape stays
 * literal and invalid UTF-8 becomes U+FFFD, so decoding never throws.
 */
export function formDecode(text: string): string {
	const spaced = text.replace(/\+/g, ' ');
	if (!spaced.includes('%')) return spaced;
	const raw = Buffer.from(spaced, 'utf8');
	const bytes: number[] = [];
	for (let i = 0; i < raw.length; i++) {
		if (raw[i] === 0x25 && i + 2 < raw.length && isHexDigit(raw[i + 1]) && isHexDigit(raw[i + 2])) {
			bytes.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
			i += 2;
		} else {
			bytes.push(raw[i]);
		}
	}
	return Buffer.from(bytes).toString('utf8');
}

/** `data[CRM_CREATED_ENTITIES][0][ENTITY_ID]` → `['data', 'CRM_CREATED_ENTITIES', '0', 'ENTITY_ID']`. */
function splitName(name: string, limits: FormLimits): string[] | string {
	if (name.length > limits.maxNameLength) return 'a field name is too long';
	const match = FIELD_NAME.exec(name);
	if (!match) return 'a field name is not in PHP bracket syntax';
	const path = [match[1]];
	for (const group of match[2].matchAll(BRACKET_GROUP)) path.push(group[1]);
	if (path.length - 1 > limits.maxDepth) return 'a field is nested too deeply';
	if (path.some((key) => FORBIDDEN_KEYS.has(key))) return 'a field name is not allowed';
	return path;
}

/** PHP's next free index of `a[]`: one past the largest non-negative integer key. */
function nextIndex(map: FormMap): string {
	let next = 0;
	for (const key of Object.keys(map)) {
		if (/^(0|[1-9]\d{0,8})$/.test(key)) next = Math.max(next, Number(key) + 1);
	}
	return String(next);
}

/** Stores one value like `php_register_variable`: the last value wins, a scalar is overwritten by a map. */
function assign(root: FormMap, path: string[], value: string): void {
	let container = root;
	for (let level = 0; level < path.length - 1; level++) {
		const key = path[level] === '' ? nextIndex(container) : path[level];
		const child = hasOwn(container, key) ? container[key] : undefined;
		if (isFormMap(child)) {
			container = child;
		} else {
			const created: FormMap = {};
			container[key] = created;
			container = created;
		}
	}
	const last = path[path.length - 1];
	container[last === '' ? nextIndex(container) : last] = value;
}

/** Maps keyed exactly `0..n-1` are PHP lists; Bitrix24's JSON examples show them as arrays. */
function listsToArrays(value: FormValue): FormValue {
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map(listsToArrays);
	const keys = Object.keys(value);
	const converted: FormMap = {};
	for (const key of keys) converted[key] = listsToArrays(value[key]);
	const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
	return isList ? keys.map((key) => converted[key]) : converted;
}

/** Builds the nested body from decoded name/value pairs, in order. */
export function parseFormPairs(
	pairs: Array<[string, string]>,
	limits: FormLimits = FORM_LIMITS,
): FormParseResult {
	if (pairs.length > limits.maxFields) return fail(`more than ${limits.maxFields} fields`);
	const root: FormMap = {};
	for (const [name, value] of pairs) {
		const path = splitName(name, limits);
		if (typeof path === 'string') return fail(path);
		assign(root, path, value);
	}
	return { ok: true, body: listsToArrays(root) as FormMap };
}

/** Parses a raw `application/x-www-form-urlencoded` body. */
export function parseRawFormBody(
	raw: string | Buffer,
	limits: FormLimits = FORM_LIMITS,
): FormParseResult {
	const size = typeof raw === 'string' ? Buffer.byteLength(raw, 'utf8') : raw.length;
	if (size > limits.maxBytes) return fail(`the body is larger than ${limits.maxBytes} bytes`);
	const text = typeof raw === 'string' ? raw : raw.toString('utf8');
	const parts = text.split('&').filter((part) => part !== '');
	if (parts.length > limits.maxFields) return fail(`more than ${limits.maxFields} fields`);
	const pairs = parts.map((part): [string, string] => {
		const eq = part.indexOf('=');
		return eq === -1
			? [formDecode(part), '']
			: [formDecode(part.slice(0, eq)), formDecode(part.slice(eq + 1))];
	});
	return parseFormPairs(pairs, limits);
}

/**
 * Turns a body n8n already parsed back into name/value pairs: flat bracket keys from
 * `querystring` (a repeated name arrives as an array), or an already nested object (another
 * parser, or a JSON body), which is flattened to bracket names first.
 */
function pairsOf(
	body: Record<string, unknown>,
	limits: FormLimits,
): Array<[string, string]> | string {
	const pairs: Array<[string, string]> = [];
	let chars = 0;
	const visit = (name: string, value: unknown, depth: number): string | undefined => {
		if (depth > limits.maxDepth) return 'a field is nested too deeply';
		// At the top an array is `querystring`'s answer to a repeated name (`a[]=1&a[]=2`):
		// replay each value under that name. Deeper down it is a list: index its items.
		const repeated = depth === 0 && Array.isArray(value);
		const entries: Array<readonly [string, unknown]> | undefined = Array.isArray(value)
			? value.map((item, index) => [String(index), item] as const)
			: isFormMap(value)
				? Object.entries(value)
				: undefined;
		if (entries) {
			for (const [key, item] of entries) {
				const problem = visit(repeated ? name : `${name}[${key}]`, item, depth + 1);
				if (problem) return problem;
			}
			return undefined;
		}
		if (pairs.length >= limits.maxFields) return `more than ${limits.maxFields} fields`;
		const text = value === undefined || value === null ? '' : String(value);
		chars += name.length + text.length;
		if (chars > limits.maxBytes) return `the body is larger than ${limits.maxBytes} bytes`;
		pairs.push([name, text]);
		return undefined;
	};
	for (const [name, value] of Object.entries(body)) {
		const problem = visit(name, value, 0);
		if (problem) return problem;
	}
	return pairs;
}

/** Parses the body n8n handed over (`getBodyData()`). */
export function parseParsedFormBody(
	body: unknown,
	limits: FormLimits = FORM_LIMITS,
): FormParseResult {
	if (!isFormMap(body)) return fail('the body is not a form');
	const pairs = pairsOf(body, limits);
	if (typeof pairs === 'string') return fail(pairs);
	return parseFormPairs(pairs, limits);
}

export interface IncomingForm {
	contentType: string;
	rawBody: unknown;
	parsedBody: unknown;
}

/**
 * Prefers the raw body: `querystring` silently stops at 1000 keys and turns repeated names into
 * arrays, the raw bytes are what Bitrix24 actually sent. Falls back to the flat keys when n8n did
 * not keep the raw body.
 */
export function readForm(
	incoming: IncomingForm,
	limits: FormLimits = FORM_LIMITS,
): FormParseResult {
	const isUrlEncoded = /^application\/x-www-form-urlencoded\b/i.test(incoming.contentType.trim());
	const raw = incoming.rawBody;
	if (isUrlEncoded && (typeof raw === 'string' || Buffer.isBuffer(raw)) && raw.length > 0) {
		return parseRawFormBody(raw, limits);
	}
	return parseParsedFormBody(incoming.parsedBody ?? {}, limits);
}
