import {
	asKeyedMap,
	BatchReference,
	encodeBatchCommand,
} from '../../../../nodes/Bitrix24Telephony/transport/batch';
import { explainBitrix24Error } from '../../../../nodes/Bitrix24Telephony/transport/errors';
import { bucketFor, LeakyBucket } from '../../../../nodes/Bitrix24Telephony/transport/rateLimiter';
import { Redactor } from '../../../../nodes/Bitrix24Telephony/transport/auth/connection';
import { maskWebhookUrl, parseWebhookUrl } from '../../../../shared/webhookUrl';

describe('parseWebhookUrl', () => {
	test.each([
		['https://acme.bitrix24.com/rest/1/abc123def/', 'https://acme.bitrix24.com/rest/1/abc123def/'],
		['https://acme.bitrix24.com/rest/1/abc123def', 'https://acme.bitrix24.com/rest/1/abc123def/'],
		[
			'https://ACME.bitrix24.com/rest/1/abc123def/profile',
			'https://acme.bitrix24.com/rest/1/abc123def/',
		],
		[
			'https://acme.bitrix24.com/rest/1/abc123def/profile.json',
			'https://acme.bitrix24.com/rest/1/abc123def/',
		],
		[
			'  https://acme.bitrix24.com/rest/1/abc123def/profile/ \n',
			'https://acme.bitrix24.com/rest/1/abc123def/',
		],
		['http://crm.local:8080/portal/rest/12/xyz/', 'http://crm.local:8080/portal/rest/12/xyz/'],
	])('%s', (input, base) => {
		const parsed = parseWebhookUrl(input);
		expect(parsed.baseUrl).toBe(base);
		expect(parsed.code).toBe(base.split('/').slice(-2)[0]);
	});

	test.each([
		'',
		'acme.bitrix24.com/rest/1/abc',
		'https://acme.bitrix24.com/',
		'https://acme.bitrix24.com/rest/abc/',
		'ftp://x/rest/1/abc/',
	])('refuses %j with the expected shape, never echoing a secret', (input) => {
		expect(() => parseWebhookUrl(input)).toThrow(
			/https:\/\/your-portal\.bitrix24\.com\/rest\/1\/xxxxxxxxxxxxxxxx\//,
		);
	});

	test('masks the code when showing what was pasted', () => {
		expect(maskWebhookUrl('https://acme.bitrix24.com/rest/1/supersecret/oops?x=1')).toBe(
			'https://acme.bitrix24.com/rest/1/***/oops',
		);
		expect(maskWebhookUrl('https://acme.bitrix24.com/something/supersecret')).toBe(
			'https://acme.bitrix24.com/…',
		);
	});
});

describe('encodeBatchCommand (PHP http_build_query shape)', () => {
	test('scalars, booleans, arrays, nested objects, nulls', () => {
		expect(
			encodeBatchCommand('telephony.externalcall.show', {
				CALL_ID: 'a.b',
				USER_ID: [1, 2],
				SHOW: true,
				X: null,
				F: { A: 'b c' },
			}),
		).toBe('telephony.externalcall.show?CALL_ID=a.b&USER_ID[0]=1&USER_ID[1]=2&SHOW=1&F[A]=b%20c');
	});

	test('& and = inside values cannot inject parameters', () => {
		expect(encodeBatchCommand('m', { PHONE_NUMBER: '1&USER_ID=5=' })).toBe(
			'm?PHONE_NUMBER=1%26USER_ID%3D5%3D',
		);
	});

	test('references become $result[key][path] in the batch', () => {
		const command = encodeBatchCommand(
			'telephony.externalcall.finish',
			{ CALL_ID: new BatchReference('register', ['CALL_ID']) },
			(name) => `i3_${name}`,
		);
		expect(command).toBe('telephony.externalcall.finish?CALL_ID=$result[i3_register][CALL_ID]');
	});

	test('PHP maps: [] for empty, lists for numeric keys', () => {
		expect(asKeyedMap([])).toEqual({});
		expect(asKeyedMap(['a', 'b'])).toEqual({ 0: 'a', 1: 'b' });
		expect(asKeyedMap({ x: 1 })).toEqual({ x: 1 });
	});
});

describe('Redactor', () => {
	test('known secrets, URL-encoded secrets and secret-shaped URL parts are masked', () => {
		const redactor = new Redactor(['topsecretcode']);
		expect(
			redactor.text('see https://p.bitrix24.com/rest/1/topsecretcode/x and topsecretcode'),
		).toBe('see https://p.bitrix24.com/rest/1/***/x and ***');
		expect(redactor.text('upload.json?auth=abcdef&token=xyz')).toBe(
			'upload.json?auth=***&token=***',
		);
		expect(redactor.value({ a: ['/rest/7/othercode/'], b: 1 })).toEqual({
			a: ['/rest/7/***/'],
			b: 1,
		});
	});
});

describe('LeakyBucket', () => {
	test("admits a burst below the portal's, then spaces requests at a little under its drain rate", () => {
		const bucket = new LeakyBucket(50, 2);
		const t0 = 1_000_000;
		const waits = Array.from({ length: 52 }, () => bucket.reserve(t0));
		expect(waits.filter((w) => w === 0)).toHaveLength(48);
		expect(waits[48]).toBeGreaterThan(500);
		expect(waits[49]).toBeGreaterThan(waits[48]);
		// After 10 s, about 19 slots drained.
		const after = new LeakyBucket(50, 2);
		for (let i = 0; i < 48; i++) after.reserve(t0);
		expect(after.reserve(t0 + 10_000)).toBe(0);
	});

	test('processes sharing a portal each keep to their share of it', () => {
		const share = bucketFor('https://shared.example', 'standard', 4);
		const waits = Array.from({ length: 12 }, () => share.reserve(0));
		expect(waits.filter((w) => w === 0)).toHaveLength(10);
		expect(share.perMs).toBeCloseTo(((2 / 4) * 0.97) / 1000);
		expect(bucketFor('https://shared.example', 'standard', 4)).toBe(share);
		expect(bucketFor('https://shared.example', 'standard', 1)).not.toBe(share);
	});

	test('markFull makes the next request wait', () => {
		const bucket = new LeakyBucket(50, 2);
		bucket.markFull(0);
		expect(bucket.reserve(0)).toBeGreaterThan(0);
	});
});

describe("explainBitrix24Error: our line, then Bitrix24's code and words verbatim", () => {
	test.each([
		['', 'Unknown TYPE', 'Bitrix24 rejected the call type (Bitrix24: "Unknown TYPE")'],
		[
			'ERROR_CORE',
			'CALL_START_DATE should be in the ISO-8601 format',
			'Bitrix24 could not read the call start date (Bitrix24: ERROR_CORE "CALL_START_DATE should be in the ISO-8601 format")',
		],
		[
			'',
			'Unsupported phone number format',
			'Bitrix24 could not read the phone number (Bitrix24: "Unsupported phone number format")',
		],
		[
			'INVALID_ARGUMENT',
			'CALL_ID must be a string',
			'Bitrix24 needs the call ID as text (Bitrix24: INVALID_ARGUMENT "CALL_ID must be a string")',
		],
		[
			'QUERY_LIMIT_EXCEEDED',
			'Too many requests',
			'Bitrix24 kept refusing requests: too many requests to this portal (Bitrix24: QUERY_LIMIT_EXCEEDED "Too many requests")',
		],
		[
			'NO_AUTH_FOUND',
			'Wrong authorization data',
			'Bitrix24 found no authorization in the request (Bitrix24: NO_AUTH_FOUND "Wrong authorization data")',
		],
		['SOMETHING_NEW', 'Odd', 'Bitrix24 rejected m (Bitrix24: SOMETHING_NEW "Odd")'],
		['SOMETHING_NEW', '', 'Bitrix24 rejected m (Bitrix24: SOMETHING_NEW)'],
		['', '', 'Bitrix24 rejected m with HTTP 400 and no reason'],
		[
			'WRONG_AUTH_TYPE',
			'Current authorization type is denied for this method',
			'Bitrix24 accepts m only from an application, not from an inbound webhook: use the Bitrix24 OAuth2 credential (Bitrix24: WRONG_AUTH_TYPE "Current authorization type is denied for this method")',
		],
	])('%j %j', (code, reason, message) => {
		expect(explainBitrix24Error('m', code, reason, 400).message).toBe(message);
	});

	test.each([
		// Old self-hosted modules check `TYPE != '1' && TYPE != '2'` (voximplant vi_rest.php).
		['Unknown TYPE', 'Old self-hosted portals accept only 1 and 2'],
		// Current cloud portals refuse RECORD_URLs in private networks (attach-record docs).
		[
			'Record URL resolves to a non-public address and was blocked.',
			'Recording Source to "Binary File"',
		],
		// The newer docs' wording of the not-finished error still maps to "finish first".
		[
			'Call is not found in the statistic table. It looks like it is not finished yet.',
			'Run the Finish operation',
		],
	])('%j is explained for every portal generation', (reason, advice) => {
		expect(explainBitrix24Error('m', '', reason, 400).description).toContain(advice);
	});

	test('call history refused: the permission to ask for is named', () => {
		// voximplant-statistic-get.md: 403 ACCESS_DENIED without "Call statistics: view".
		const explained = explainBitrix24Error(
			'voximplant.statistic.get',
			'ACCESS_DENIED',
			'Access denied!',
			403,
		);
		expect(explained.description).toContain('"Call statistics: view"');
	});
});
