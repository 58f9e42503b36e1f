/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
import { parse as parseQueryString } from 'querystring';

import {
	formDecode,
	parseParsedFormBody,
	parseRawFormBody,
	readForm,
} from '../../nodes/Bitrix24TelephonyTrigger/formBody';
import { httpBuildQuery } from '../../sandbox/php-query';

/** A raw ONEXTERNALCALLSTART body (docs/bitrix24-fidelity.md row 27), as Bitrix24's queue server sends it. */
const REFERENCE_BODY = [
	'event=ONEXTERNALCALLSTART&event_handler_id=1055',
	'data%5BPHONE_NUMBER%5D=%2B494951234567&data%5BPHONE_NUMBER_INTERNATIONAL%5D=%2B494951234567',
	'data%5BEXTENSION%5D=&data%5BUSER_ID%5D=1269&data%5BCALL_LIST_ID%5D=0&data%5BLINE_NUMBER%5D=7',
	'data%5BIS_MOBILE%5D=0&data%5BCALL_ID%5D=externalCall.89350264e026dace3f2b14d1f438257c.1773236989',
	'data%5BCRM_ENTITY_TYPE%5D=CONTACT&data%5BCRM_ENTITY_ID%5D=797',
	'ts=1773236988',
	'auth%5Baccess_token%5D=s7p6eclrvim9da28dt9ch94ekreb52sv&auth%5Bexpires%5D=1773240588&auth%5Bexpires_in%5D=3600',
	'auth%5Bscope%5D=telephony&auth%5Bdomain%5D=some-domain.bitrix24.com',
	'auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth%5Bstatus%5D=L',
	'auth%5Bclient_endpoint%5D=https%3A%2F%2Fsome-domain.bitrix24.com%2Frest%2F',
	'auth%5Bmember_id%5D=a223c6b9410f85df78e9377d6c4f7213&auth%5Buser_id%5D=1269',
	'auth%5Bapplication_token%5D=51610fefc120afg4b628cc82d6298cce',
].join('&');

const EXPECTED = {
	event: 'ONEXTERNALCALLSTART',
	event_handler_id: '1055',
	data: {
		PHONE_NUMBER: '+494951234567',
		PHONE_NUMBER_INTERNATIONAL: '+494951234567',
		EXTENSION: '',
		USER_ID: '1269',
		CALL_LIST_ID: '0',
		LINE_NUMBER: '7',
		IS_MOBILE: '0',
		CALL_ID: 'externalCall.89350264e026dace3f2b14d1f438257c.1773236989',
		CRM_ENTITY_TYPE: 'CONTACT',
		CRM_ENTITY_ID: '797',
	},
	ts: '1773236988',
	auth: {
		access_token: 's7p6eclrvim9da28dt9ch94ekreb52sv',
		expires: '1773240588',
		expires_in: '3600',
		scope: 'telephony',
		domain: 'some-domain.bitrix24.com',
		server_endpoint: 'https://oauth.bitrix.info/rest/',
		status: 'L',
		client_endpoint: 'https://some-domain.bitrix24.com/rest/',
		member_id: 'a223c6b9410f85df78e9377d6c4f7213',
		user_id: '1269',
		application_token: '51610fefc120afg4b628cc82d6298cce',
	},
};

/** What n8n's body parser hands the node: querystring with maxKeys 1000, keys left flat. */
const n8nFlat = (raw: string) => parseQueryString(raw, undefined, undefined, { maxKeys: 1000 });

describe('form body: PHP bracket nesting rebuilt without a query-string library', () => {
	test('the raw body of the reference example', () => {
		expect(parseRawFormBody(REFERENCE_BODY)).toEqual({ ok: true, body: EXPECTED });
		expect(parseRawFormBody(Buffer.from(REFERENCE_BODY))).toEqual({ ok: true, body: EXPECTED });
	});

	test('the same body as n8n hands it over: flat keys', () => {
		const flat = n8nFlat(REFERENCE_BODY);
		expect(flat['data[CALL_ID]']).toBe(EXPECTED.data.CALL_ID);
		expect(parseParsedFormBody(flat)).toEqual({ ok: true, body: EXPECTED });
	});

	test('an already nested body (another parser, or JSON) gives the same result', () => {
		expect(parseParsedFormBody(JSON.parse(JSON.stringify(EXPECTED)))).toEqual({
			ok: true,
			body: EXPECTED,
		});
	});

	test('lists become arrays, in both paths', () => {
		const raw = httpBuildQuery({
			data: {
				CRM_CREATED_ENTITIES: [
					{ ENTITY_TYPE: 'LEAD', ENTITY_ID: 12 },
					{ ENTITY_TYPE: 'DEAL', ENTITY_ID: 7 },
				],
			},
		});
		const expected = {
			data: {
				CRM_CREATED_ENTITIES: [
					{ ENTITY_TYPE: 'LEAD', ENTITY_ID: '12' },
					{ ENTITY_TYPE: 'DEAL', ENTITY_ID: '7' },
				],
			},
		};
		expect(parseRawFormBody(raw)).toEqual({ ok: true, body: expected });
		expect(parseParsedFormBody(n8nFlat(raw))).toEqual({ ok: true, body: expected });
	});

	test('PHP semantics: the last value of a repeated name wins, [] appends, a map replaces a scalar', () => {
		const raw = 'a=1&a=2&l[]=x&l[]=y&m=s&m[k]=v';
		const expected = { a: '2', l: ['x', 'y'], m: { k: 'v' } };
		expect(parseRawFormBody(raw)).toEqual({ ok: true, body: expected });
		// querystring turns repeated names into arrays: { a: ['1','2'], 'l[]': ['x','y'] }
		expect(parseParsedFormBody(n8nFlat(raw))).toEqual({ ok: true, body: expected });
	});

	test('decoding: + is a space, UTF-8 escapes, malformed escapes stay literal, never throws', () => {
		expect(formDecode('Hello+W%C3%B6rld%21')).toBe('Hello Wörld!');
		expect(formDecode('100%')).toBe('100%');
		expect(formDecode('%zz%4')).toBe('%zz%4');
		expect(formDecode('%FF%FE')).toBe('\uFFFD\uFFFD');
		expect(parseRawFormBody('event=X&data[TEXT]=%E0%A4%A')).toMatchObject({
			ok: true,
			body: { data: { TEXT: expect.any(String) } },
		});
	});

	test('values stay strings exactly as sent', () => {
		const result = parseRawFormBody(
			'data[USER_ID]=0012&data[IS_MOBILE]=0&data[CRM_ENTITY_ID]=&ts=1.5',
		);
		expect(result).toEqual({
			ok: true,
			body: { data: { USER_ID: '0012', IS_MOBILE: '0', CRM_ENTITY_ID: '' }, ts: '1.5' },
		});
	});

	describe('refuses what no portal sends', () => {
		test.each([
			['data[__proto__][x]=1'],
			['__proto__[polluted]=1'],
			['constructor[prototype][polluted]=1'],
			['data[constructor]=1'],
			['auth[prototype]=x'],
			['data%5B__proto__%5D%5Bx%5D=1'],
		])('%s', (raw) => {
			expect(parseRawFormBody(`event=ONEXTERNALCALLSTART&${raw}`)).toEqual({
				ok: false,
				reason: 'a field name is not allowed',
			});
			expect(parseParsedFormBody(n8nFlat(`event=ONEXTERNALCALLSTART&${raw}`))).toEqual({
				ok: false,
				reason: 'a field name is not allowed',
			});
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
			expect(({} as Record<string, unknown>).x).toBeUndefined();
		});

		test('a nested object with an own __proto__ key (JSON.parse creates one)', () => {
			const body = JSON.parse('{"event":"X","data":{"__proto__":{"polluted":"yes"}}}');
			expect(parseParsedFormBody(body)).toEqual({
				ok: false,
				reason: 'a field name is not allowed',
			});
			expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		});

		test("2000 keys: refused from the raw body, and from n8n's flat body cut at 1000 keys", () => {
			const raw = Array.from({ length: 2000 }, (_, i) => `data[K${i}]=${i}`).join('&');
			expect(parseRawFormBody(raw)).toEqual({ ok: false, reason: 'more than 200 fields' });
			const flat = n8nFlat(raw);
			expect(Object.keys(flat)).toHaveLength(1000);
			expect(parseParsedFormBody(flat)).toEqual({ ok: false, reason: 'more than 200 fields' });
		});

		test('deep nesting', () => {
			const deep = `data${'[a]'.repeat(6)}=1`;
			expect(parseRawFormBody(deep)).toEqual({ ok: false, reason: 'a field is nested too deeply' });
			expect(parseParsedFormBody(n8nFlat(deep))).toEqual({
				ok: false,
				reason: 'a field is nested too deeply',
			});
			expect(parseRawFormBody(`data${'[a]'.repeat(5)}=1`).ok).toBe(true);
			const nested: Record<string, unknown> = {};
			let cursor = nested;
			for (let i = 0; i < 5000; i++) cursor = (cursor.a = {}) as Record<string, unknown>;
			expect(parseParsedFormBody({ data: nested })).toEqual({
				ok: false,
				reason: 'a field is nested too deeply',
			});
		});

		test('a body over 64 KB, a huge name, names that are not bracket syntax', () => {
			expect(parseRawFormBody(`event=X&data[TEXT]=${'a'.repeat(70_000)}`)).toEqual({
				ok: false,
				reason: 'the body is larger than 65536 bytes',
			});
			expect(parseParsedFormBody({ event: 'X', 'data[TEXT]': 'a'.repeat(70_000) })).toEqual({
				ok: false,
				reason: 'the body is larger than 65536 bytes',
			});
			expect(parseRawFormBody(`${'k'.repeat(300)}=1`)).toEqual({
				ok: false,
				reason: 'a field name is too long',
			});
			for (const name of ['data[CALL_ID', 'data]x[', 'data[a]b', '[a]', 'data[a[b]]']) {
				expect(parseRawFormBody(`${encodeURIComponent(name)}=1`)).toEqual({
					ok: false,
					reason: 'a field name is not in PHP bracket syntax',
				});
			}
		});
	});

	test('readForm prefers the raw body of a form, falls back to the parsed body', () => {
		const flatOnly = n8nFlat('event=A&data[CALL_ID]=1');
		expect(
			readForm({
				contentType: 'application/x-www-form-urlencoded',
				rawBody: Buffer.from('event=B&data[CALL_ID]=2'),
				parsedBody: flatOnly,
			}),
		).toEqual({
			ok: true,
			body: { event: 'B', data: { CALL_ID: '2' } },
		});
		expect(
			readForm({
				contentType: 'application/x-www-form-urlencoded; charset=utf-8',
				rawBody: undefined,
				parsedBody: flatOnly,
			}),
		).toEqual({
			ok: true,
			body: { event: 'A', data: { CALL_ID: '1' } },
		});
		expect(
			readForm({
				contentType: 'application/json',
				rawBody: Buffer.from('{"event":"C"}'),
				parsedBody: { event: 'C' },
			}),
		).toEqual({ ok: true, body: { event: 'C' } });
		expect(
			readForm({ contentType: 'text/plain', rawBody: Buffer.from('hello'), parsedBody: 'hello' }),
		).toEqual({ ok: false, reason: 'the body is not a form' });
	});
});
