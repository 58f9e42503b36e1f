/**
 * Date handling of the portal.
 *
 * CALL_START_DATE goes through CRestUtil::unConvertDateTime(), i.e. PHP strtotime():
 * lenient, and values without an offset are read in the portal's timezone. Responses print
 * dates with PHP date('c') in that timezone.
 */
import { DateTime, FixedOffsetZone } from 'luxon';

export const PORTAL_TIMEZONE = 'Europe/Berlin';

const ISO_LIKE =
	/^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$/;
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const US_SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
/** strtotime(): "d.m.Y" is European, "m/d/Y" American; the year is group 3 in both. */
const DAY_MONTH_FORMATS: Array<[RegExp, { day: number; month: number }]> = [
	[DOTTED, { day: 1, month: 2 }],
	[US_SLASHED, { day: 2, month: 1 }],
];

interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
}

/**
 * strtotime() for the formats an integration realistically sends. Returns epoch milliseconds
 * (whole seconds, as the portal stores them) or null where strtotime() would return false.
 */
export function parsePortalDate(
	input: string,
	nowMs: number,
	zone = PORTAL_TIMEZONE,
): number | null {
	const text = input.trim();
	const relative = parseRelative(text.toLowerCase(), nowMs, zone);
	if (relative !== null) return relative;
	if (/^@-?\d+$/.test(text)) return Number(text.slice(1)) * 1000;

	const iso = ISO_LIKE.exec(text);
	if (iso) {
		const offset = iso[8] ? parseOffset(iso[8]) : null;
		return fromWallClock(
			{
				year: +iso[1],
				month: +iso[2],
				day: +iso[3],
				hour: +(iso[4] ?? 0),
				minute: +(iso[5] ?? 0),
				second: +(iso[6] ?? 0),
			},
			offset === null ? zone : FixedOffsetZone.instance(offset),
		);
	}
	for (const [pattern, order] of DAY_MONTH_FORMATS) {
		const match = pattern.exec(text);
		if (match)
			return fromWallClock(
				{
					year: +match[3],
					month: +match[order.month],
					day: +match[order.day],
					hour: +(match[4] ?? 0),
					minute: +(match[5] ?? 0),
					second: +(match[6] ?? 0),
				},
				zone,
			);
	}
	for (const parsed of [DateTime.fromRFC2822(text, { zone }), DateTime.fromHTTP(text, { zone })]) {
		if (parsed.isValid) return Math.floor(parsed.toMillis() / 1000) * 1000;
	}
	return null;
}

function parseRelative(text: string, nowMs: number, zone: string): number | null {
	const now = DateTime.fromMillis(nowMs, { zone });
	switch (text) {
		case 'now':
			return Math.floor(nowMs / 1000) * 1000;
		case 'today':
		case 'midnight':
			return now.startOf('day').toMillis();
		case 'yesterday':
			return now.startOf('day').minus({ days: 1 }).toMillis();
		case 'tomorrow':
			return now.startOf('day').plus({ days: 1 }).toMillis();
		default:
			return null;
	}
}

/** "+03:00", "+0300", "+3", "Z" -> minutes east of UTC. */
function parseOffset(text: string): number {
	if (/^(z|utc|gmt)$/i.test(text)) return 0;
	const match = /^([+-])(\d{1,2}):?(\d{2})?$/.exec(text);
	if (!match) return 0;
	const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
	return match[1] === '-' ? -minutes : minutes;
}

/** Like strtotime(), out-of-range days and hours roll over (2026-02-30 is 2026-03-02); months must be 1-12. */
function fromWallClock(clock: WallClock, zone: string | FixedOffsetZone): number | null {
	if (clock.month < 1 || clock.month > 12 || clock.day < 1 || clock.day > 31) return null;
	if (clock.hour > 24 || clock.minute > 59 || clock.second > 60) return null;
	const exact = DateTime.fromObject(clock, { zone });
	if (exact.isValid) return exact.toMillis();
	const date = DateTime.fromObject({ year: clock.year, month: clock.month, day: 1 }, { zone }).plus(
		{
			days: clock.day - 1,
			hours: clock.hour,
			minutes: clock.minute,
			seconds: clock.second,
		},
	);
	return date.isValid ? date.toMillis() : null;
}

/** PHP date('c') in the portal timezone, e.g. "2026-03-10T11:19:38+01:00". */
export function formatPortalDate(ms: number, zone = PORTAL_TIMEZONE): string {
	return DateTime.fromMillis(Math.floor(ms / 1000) * 1000, { zone }).toFormat(
		"yyyy-MM-dd'T'HH:mm:ssZZ",
	);
}
