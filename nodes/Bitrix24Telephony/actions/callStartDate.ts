/**
 * `CALL_START_DATE`: ISO 8601 WITH a UTC offset, because without one Bitrix24 reads the time in
 * the portal's zone and the call lands hours off.
 */
import { DateTime } from 'luxon';

import { describeType, ValueProblem } from './checks';

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
