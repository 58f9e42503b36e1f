/**
 * Bitrix24's call result codes (STATUS_CODE): the choices Finish offers, the check of a value
 * read for it, and the words the outputs use. Finish, Log Completed Call and Get Call History
 * share them.
 */
import { ValueProblem } from '../checks';

/** Bitrix24's call result codes (SIP-like), with the words a user thinks in. */
export const STATUS_CODE_OPTIONS = [
	{
		name: 'Automatic (Answered if Duration > 0, Otherwise Missed)',
		value: 'auto',
		description: 'Let Bitrix24 decide (STATUS_CODE not sent)',
	},
	{ name: 'Answered (200)', value: '200' },
	{
		name: 'Missed (304)',
		value: '304',
		description: 'No answer. On incoming calls Bitrix24 logs a missed call.',
	},
	{ name: 'Declined (603)', value: '603' },
	{ name: 'Cancelled by Caller (603-S)', value: '603-S' },
	{ name: 'Forbidden (403)', value: '403' },
	{ name: 'Wrong Number (404)', value: '404' },
	{ name: 'Busy (486)', value: '486' },
	// Bitrix24 calls both "direction unavailable"; the SIP meanings tell them apart in the list.
	{
		name: 'Number Incomplete (484)',
		value: '484',
		description: 'The dialled number was incomplete (SIP 484; Bitrix24: direction unavailable)',
	},
	{
		name: 'Service Unavailable (503)',
		value: '503',
		description: 'The route or trunk was unavailable (SIP 503; Bitrix24: direction unavailable)',
	},
	{ name: 'Temporarily Unavailable (480)', value: '480' },
	{ name: 'Insufficient Funds (402)', value: '402' },
	{ name: 'Blocked (423)', value: '423' },
	{ name: 'Other', value: 'OTHER' },
];

export const STATUS_CODES = STATUS_CODE_OPTIONS.map((o) => o.value).filter((v) => v !== 'auto');

/** A STATUS_CODE read from a field: undefined for "auto" (Bitrix24 decides). */
export function toStatusCode(value: unknown): string | undefined {
	const code =
		typeof value === 'number'
			? String(value)
			: typeof value === 'string'
				? value.trim().toUpperCase()
				: value;
	if (code === 'AUTO' || code === '') return undefined;
	if (typeof code !== 'string' || !STATUS_CODES.includes(code)) {
		throw new ValueProblem(
			`must be one of ${STATUS_CODES.join(', ')}, but is "${String(value).slice(0, 20)}"`,
		);
	}
	return code;
}

/** Bitrix24's STATUS_CODE values in words, for notifications. */
export const STATUS_WORDS: Record<string, string> = {
	'200': 'answered',
	'304': 'missed',
	'603': 'declined',
	'603-S': 'cancelled',
	'403': 'forbidden',
	'404': 'wrong number',
	'486': 'busy',
	'484': 'unavailable',
	'503': 'unavailable',
	'480': 'temporarily unavailable',
	'402': 'insufficient funds',
	'423': 'blocked',
	OTHER: 'other',
};
