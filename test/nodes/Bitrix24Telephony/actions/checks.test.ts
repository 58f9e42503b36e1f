import { DateTime } from 'luxon';

import {
	toCallStartDate,
	toFlag,
	toIdentifier,
	toPhoneNumber,
	toUserIdList,
} from '../../../../nodes/Bitrix24Telephony/actions/checks';

const now = DateTime.fromISO('2026-11-27T12:00:00Z', { zone: 'utc' });

describe('toCallStartDate', () => {
	test.each([
		['2026-11-27T10:00:00+03:00', 'UTC', '2026-11-27T10:00:00+03:00'],
		['2026-11-27T10:00:00', 'Europe/Berlin', '2026-11-27T10:00:00+01:00'],
		['2026-07-27 10:00:00', 'Europe/Berlin', '2026-07-27T10:00:00+02:00'],
		['Fri, 27 Nov 2026 10:00:00 +0000', 'UTC', '2026-11-27T10:00:00Z'],
	])('%s in %s → %s', (value, zone, expected) => {
		expect(toCallStartDate(value, zone, now)).toBe(expected);
	});

	test('a JS Date and a luxon DateTime', () => {
		expect(toCallStartDate(new Date('2026-11-27T10:00:00Z'), 'Asia/Kolkata', now)).toBe(
			'2026-11-27T15:30:00+05:30',
		);
		expect(
			toCallStartDate(
				DateTime.fromISO('2026-11-27T10:00:00', { zone: 'America/Sao_Paulo' }),
				'UTC',
				now,
			),
		).toBe('2026-11-27T10:00:00-03:00');
	});

	test.each([['not a date'], [{}], [true], ['1999-12-31T23:59:59Z'], ['2026-11-29T00:00:00Z']])(
		'refuses %j',
		(value) => {
			expect(() => toCallStartDate(value, 'UTC', now)).toThrow();
		},
	);
});

describe('toFlag', () => {
	test.each([
		[true, 1],
		[false, 0],
		['false', 0],
		['true', 1],
		[1, 1],
		[0, 0],
		['0', 0],
		['yes', 1],
		['', 0],
	])('%j → %i', (value, flag) => expect(toFlag(value)).toBe(flag));
	test('refuses anything else', () =>
		expect(() => toFlag('maybe')).toThrow('must be true or false'));
});

describe('toPhoneNumber', () => {
	test('keeps the number as given (Bitrix24 strips formatting itself)', () => {
		expect(toPhoneNumber(' +49 (151) 123-45 ')).toBe('+49 (151) 123-45');
		expect(toPhoneNumber(4915112345678)).toBe('4915112345678');
	});
	test.each(['', 'Anonymous', 'unknown', 'withheld', '***', 'abc'])('refuses %j', (value) => {
		expect(() => toPhoneNumber(value)).toThrow();
	});
});

describe('toUserIdList', () => {
	test('comma list, array, single number; duplicates removed', () => {
		expect(toUserIdList('1, 2;3 2')).toEqual([1, 2, 3]);
		expect(toUserIdList([4, '5'])).toEqual([4, 5]);
		expect(toUserIdList(7)).toEqual([7]);
	});
	test.each([['0'], ['-1'], ['1.5'], [[{}]], [null]])('refuses %j', (value) =>
		expect(() => toUserIdList(value)).toThrow(),
	);
});

describe('toIdentifier: identifiers refuse every control character, naming it', () => {
	test.each([
		['101\r', 'a carriage return (CR)'],
		['101\n', 'a line break (LF)'],
		['10\u00001', 'a NUL character'],
		['1\t01', 'a tab'],
		['10\u001b1', 'the control character U+001B'],
		['101\u007f', 'a DEL character'],
	])('%j contains %s', (value, name) => {
		expect(() => toIdentifier(value)).toThrow(`contains ${name}`);
	});

	test('plain text passes, trimmed', () => {
		expect(toIdentifier('  1710140185.18441 ')).toBe('1710140185.18441');
	});

	test('a phone number with a trailing CR (a PBX script) is refused too', () => {
		expect(() => toPhoneNumber('+4915112345678\r')).toThrow('contains a carriage return (CR)');
	});
});
