import {
	DEDUP_WINDOW_MS,
	dedupKey,
	resetDedup,
	seenRecently,
} from '../../nodes/Bitrix24TelephonyTrigger/dedup';
import {
	eventItem,
	readEnvelope,
	withoutTokens,
} from '../../nodes/Bitrix24TelephonyTrigger/envelope';

const scope = { workflowId: 'wf1', nodeId: 'n1', mode: 'webhook' };

beforeEach(() => resetDedup());

describe('dedup memory', () => {
	test('one mark per key for 30 s, then the key is new again', () => {
		const key = dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' });
		expect(seenRecently(key, 1_000)).toBe(false);
		expect(seenRecently(key, 1_000 + DEDUP_WINDOW_MS - 1)).toBe(true);
		expect(seenRecently(key, 1_000 + DEDUP_WINDOW_MS)).toBe(false);
		expect(seenRecently(key, 1_000 + DEDUP_WINDOW_MS + 5)).toBe(true);
	});

	test('keys differ by workflow, node, URL mode, event and call', () => {
		const keys = [
			dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' }),
			dedupKey({ ...scope, workflowId: 'wf2' }, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' }),
			dedupKey({ ...scope, nodeId: 'n2' }, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' }),
			dedupKey({ ...scope, mode: 'manual' }, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' }),
			dedupKey(scope, 'ONEXTERNALCALLBACKSTART', { CALL_ID: 'c1' }),
			dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c2' }),
			dedupKey(scope, 'ONEXTERNALCALLBACKSTART', { PHONE_NUMBER: '+1' }),
			dedupKey(scope, 'ONEXTERNALCALLBACKSTART', { PHONE_NUMBER: '+2' }),
		];
		expect(new Set(keys).size).toBe(keys.length);
		// The same call delivered to two handlers (another event_handler_id) is the same event.
		expect(dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1', USER_ID: '1' })).toBe(keys[0]);
	});

	test('a clock that steps back does not keep a key blocked', () => {
		const key = dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c1' });
		expect(seenRecently(key, 100_000)).toBe(false);
		expect(seenRecently(key, 50_000)).toBe(false);
	});

	test('memory is bounded: a flood of distinct calls pushes out the oldest marks', () => {
		const first = dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: 'c0' });
		expect(seenRecently(first, 0)).toBe(false);
		for (let i = 1; i <= 10_000; i++)
			seenRecently(dedupKey(scope, 'ONEXTERNALCALLSTART', { CALL_ID: `c${i}` }), 1);
		expect(seenRecently(first, 2)).toBe(false);
	});
});

describe('event envelope', () => {
	test('every token leaves auth, everything else stays as sent', () => {
		expect(
			withoutTokens({
				access_token: 'a',
				refresh_token: 'r',
				application_token: 't',
				member_token: 'm',
				domain: 'd',
				member_id: 'm1',
				expires: '1',
			}),
		).toEqual({ domain: 'd', member_id: 'm1', expires: '1' });
	});

	test('the output item keeps event_handler_id and ts, and upper-cases the event name', () => {
		const parsed = readEnvelope({
			event: 'onExternalCallStart',
			event_handler_id: '7',
			data: { CALL_ID: 'c' },
			ts: '100',
			auth: { application_token: 't', domain: 'd' },
		});
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.envelope.applicationToken).toBe('t');
		expect(eventItem(parsed.envelope)).toEqual({
			event: 'ONEXTERNALCALLSTART',
			event_handler_id: '7',
			data: { CALL_ID: 'c' },
			ts: '100',
			auth: { domain: 'd' },
		});
	});
});
