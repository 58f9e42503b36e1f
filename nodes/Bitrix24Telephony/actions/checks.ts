/**
 * Pure checks that turn a raw parameter value (whatever an expression produced) into what
 * Bitrix24 must receive. Each throws `ValueProblem` with a phrase that completes the sentence
 * `'Field' …`; the caller adds the item and field (see `readField`).
 */
import { DateTime } from 'luxon';

export class ValueProblem extends Error {
	constructor(
		message: string,
		readonly hint?: string,
	) {
		super(message);
	}
}

/** Control characters other than tab, line feed and carriage return (they corrupt CRM records). */
function hasControlCharacters(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if ((code < 32 && code !== 9 && code !== 10 && code !== 13) || code === 127) return true;
	}
	return false;
}

/** Names for the control characters a PBX or a CSV most often leaves in a value. */
const CONTROL_NAMES: Record<number, string> = {
	0: 'a NUL character',
	9: 'a tab',
	10: 'a line break (LF)',
	13: 'a carriage return (CR)',
	127: 'a DEL character',
};

/** The first C0 control character (or DEL) in `text`, in words; tabs and line breaks included. */
function firstControlCharacter(text: string): string | undefined {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 32 || code === 127)
			return (
				CONTROL_NAMES[code] ??
				`the control character U+${code.toString(16).padStart(4, '0').toUpperCase()}`
			);
	}
	return undefined;
}

export function describeType(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (value instanceof Date || DateTime.isDateTime(value)) return 'a date';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/** Text: strings as they are (trimmed), finite numbers as digits; anything else is a mistake. */
export function toText(value: unknown, { maxLength = 255 }: { maxLength?: number } = {}): string {
	let text: string;
	if (typeof value === 'string') text = value.trim();
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else throw new ValueProblem(`must be text, but is ${describeType(value)}`);
	if (hasControlCharacters(text)) throw new ValueProblem('contains control characters');
	if (text.length > maxLength)
		throw new ValueProblem(`is ${text.length} characters long (at most ${maxLength})`);
	return text;
}

/**
 * An identifier (extension, line number, call ID, phone number): text without ANY control
 * character. A CR or LF that a PBX script or a CSV left at the end would otherwise reach Bitrix24,
 * which then matches no user, line or call, or stores a number no one can dial.
 */
export function toIdentifier(
	value: unknown,
	{ maxLength = 255 }: { maxLength?: number } = {},
): string {
	if (typeof value === 'string') {
		const control = firstControlCharacter(value);
		if (control)
			throw new ValueProblem(
				`contains ${control}`,
				'Identifiers must be plain text: remove the character before this node, e.g. with {{ $json.value.trim() }}.',
			);
	}
	return toText(value, { maxLength });
}

/** A positive whole number, from a number or a numeric string (IDs often arrive as strings). */
export function toPositiveInteger(
	value: unknown,
	{ max = 2_147_483_647 }: { max?: number } = {},
): number {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string' && /^\s*\d+\s*$/.test(value)
				? Number(value)
				: Number.NaN;
	if (typeof value !== 'number' && typeof value !== 'string') {
		throw new ValueProblem(`must be a whole number, but is ${describeType(value)}`);
	}
	if (!Number.isInteger(number) || number <= 0 || number > max) {
		throw new ValueProblem(
			`must be a whole number from 1 to ${max}, but is "${String(value).slice(0, 40)}"`,
		);
	}
	return number;
}

/** A non-negative whole number (durations). */
export function toNonNegativeInteger(value: unknown, { max }: { max: number }): number {
	if (value === 0 || value === '0') return 0;
	return toPositiveInteger(value, { max });
}

/** A non-negative amount (call cost). */
export function toAmount(value: unknown): number {
	const number =
		typeof value === 'number'
			? value
			: typeof value === 'string'
				? Number(value.trim())
				: Number.NaN;
	if (
		!Number.isFinite(number) ||
		number < 0 ||
		(typeof value === 'string' && value.trim() === '')
	) {
		throw new ValueProblem(`must be a number of 0 or more, but is "${String(value).slice(0, 40)}"`);
	}
	return number;
}

/**
 * Bitrix24 casts flags with PHP rules, where the string "false" is TRUE. Whatever the workflow
 * produced, send 0 or 1.
 */
export function toFlag(value: unknown): 0 | 1 {
	if (typeof value === 'boolean') return value ? 1 : 0;
	if (value === 1 || value === 0) return value;
	if (typeof value === 'string') {
		const lower = value.trim().toLowerCase();
		if (['true', '1', 'yes', 'y'].includes(lower)) return 1;
		if (['false', '0', 'no', 'n', ''].includes(lower)) return 0;
	}
	throw new ValueProblem(`must be true or false, but is "${String(value).slice(0, 40)}"`);
}

/** Caller IDs a PBX sends when the number is hidden; Bitrix24 cannot log a call without a number. */
const WITHHELD = new Set([
	'anonymous',
	'unknown',
	'restricted',
	'private',
	'unavailable',
	'withheld',
	'hidden',
	'null',
]);

/**
 * The client's number. Bitrix24 keeps only digits and `+ # * , ;` and fails when nothing is left;
 * withheld numbers are refused here, with advice, instead of by Bitrix24 after a round trip.
 */
export function toPhoneNumber(value: unknown): string {
	if (isBlank(value))
		throw new ValueProblem('is empty', 'Map the caller number of the PBX event to this field.');
	const text = toIdentifier(value, { maxLength: 64 });
	if (WITHHELD.has(text.toLowerCase()) || text.replace(/[^0-9#*+,;]/g, '') === '') {
		throw new ValueProblem(
			`is "${text.slice(0, 20)}", which is not a phone number (a withheld caller ID?)`,
			'Bitrix24 cannot log a call without a number. Filter withheld callers out before this node (an IF node), or map them to a placeholder number.',
		);
	}
	if (!/\d/.test(text)) throw new ValueProblem(`is "${text}", which contains no digits`);
	return text;
}

export const CALL_TYPES = [1, 2, 3, 4, 5] as const;

export function toCallType(value: unknown): number {
	const number = typeof value === 'string' && /^\s*\d\s*$/.test(value) ? Number(value) : value;
	if (typeof number !== 'number' || !(CALL_TYPES as readonly number[]).includes(number)) {
		throw new ValueProblem(
			`must be 1 (outgoing), 2 (incoming), 3 (incoming with redirection), 4 (callback) or 5 (informational), but is "${String(value).slice(0, 20)}"`,
		);
	}
	return number;
}

export const CRM_ENTITY_TYPES = ['CONTACT', 'COMPANY', 'LEAD'] as const;

export function toCrmEntityType(value: unknown): string {
	const text = toText(value, { maxLength: 20 }).toUpperCase();
	if (!(CRM_ENTITY_TYPES as readonly string[]).includes(text)) {
		throw new ValueProblem(`must be CONTACT, COMPANY or LEAD, but is "${text}"`);
	}
	return text;
}

/** A list of user IDs from "1, 2,3", a single number, or an array produced by an expression. */
export function toUserIdList(value: unknown): number[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'number'
			? [value]
			: typeof value === 'string'
				? value.split(/[\s,;]+/).filter((p) => p !== '')
				: undefined;
	if (parts === undefined)
		throw new ValueProblem(
			`must be user IDs separated by commas, or a list, but is ${describeType(value)}`,
		);
	if (parts.length === 0) throw new ValueProblem('is empty');
	if (parts.length > 500) throw new ValueProblem(`has ${parts.length} users (at most 500)`);
	const ids = parts.map((part: unknown) => {
		const id = typeof part === 'string' && /^\s*\d+\s*$/.test(part) ? Number(part) : part;
		if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0 || id > 2_147_483_647) {
			throw new ValueProblem(`contains "${String(part).slice(0, 20)}", which is not a user ID`);
		}
		return id;
	});
	return [...new Set(ids)];
}

/**
 * `CALL_START_DATE`: ISO 8601 WITH a UTC offset, because without one Bitrix24 reads the time in
 * the portal's zone and the call lands hours off.
 */
const EARLIEST_CALL = DateTime.fromISO('2000-01-01T00:00:00Z', { zone: 'utc' });
const LATEST_AHEAD_HOURS = 24;

/** Epoch values below this are seconds, above it milliseconds (year 5138 in seconds). */
const EPOCH_MS_THRESHOLD = 1e11;

/**
 * Accepts ISO strings (one without offset is read in
 * the workflow's zone), epoch seconds or milliseconds, JS dates and luxon dates.
 */
export function toCallStartDate(
	value: unknown,
	workflowZone: string,
	now: DateTime = DateTime.utc(),
): string {
	let date: DateTime;
	if (DateTime.isDateTime(value)) date = value;
	else if (value instanceof Date) date = DateTime.fromJSDate(value, { zone: workflowZone });
	else if (
		typeof value === 'number' ||
		(typeof value === 'string' && /^\s*\d{9,13}\s*$/.test(value))
	) {
		const epoch = Number(value);
		date = DateTime.fromMillis(epoch < EPOCH_MS_THRESHOLD ? epoch * 1000 : epoch, {
			zone: workflowZone,
		});
	} else if (typeof value === 'string') {
		const text = value.trim();
		date = DateTime.fromISO(text, { zone: workflowZone, setZone: true });
		if (!date.isValid) date = DateTime.fromSQL(text, { zone: workflowZone, setZone: true });
		if (!date.isValid) date = DateTime.fromRFC2822(text, { zone: workflowZone, setZone: true });
		if (!date.isValid) {
			throw new ValueProblem(
				`is "${text.slice(0, 40)}", which is not a date`,
				'Use ISO 8601, for example 2026-03-10T11:19:38+01:00, or a Unix timestamp.',
			);
		}
	} else {
		throw new ValueProblem(`must be a date, but is ${describeType(value)}`);
	}
	if (!date.isValid) throw new ValueProblem('is not a valid date');
	if (date < EARLIEST_CALL) throw new ValueProblem(`is ${date.toISODate()}, before the year 2000`);
	if (date > now.plus({ hours: LATEST_AHEAD_HOURS })) {
		throw new ValueProblem(
			`is ${date.toISO()}, more than ${LATEST_AHEAD_HOURS} hours in the future`,
		);
	}
	return date.toISO({ suppressMilliseconds: true }) as string;
}
