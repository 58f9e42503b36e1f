import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

describe('Call → Show Card / Hide Card', () => {
	test('user ids from a comma-separated list are sent as an array', async () => {
		const callId = await steps.register({
			additionalFields: { show: false, externalCallId: 'cards-1' },
		});
		portal().clearRequests();
		const result = await steps.run({ operation: 'show', callId, userIds: '1, 2,3' });
		expect(portal().requests[0].params).toEqual({ CALL_ID: callId, USER_ID: [1, 2, 3] });
		expect(result.items[0].json).toEqual({ success: true, callId, userIds: [1, 2, 3] });
	});

	test('user ids from an array expression', async () => {
		const callId = await steps.register({ additionalFields: { externalCallId: 'cards-2' } });
		portal().clearRequests();
		await steps.run({ operation: 'hide', callId, userIds: '={{ [2, "3"] }}' });
		expect(portal().requests[0].params.USER_ID).toEqual([2, 3]);
	});

	test('Bitrix24 answering false (call no longer active) is said plainly', async () => {
		const callId = await steps.register({ additionalFields: { externalCallId: 'cards-3' } });
		await steps.finish(callId, { duration: 5 });
		const result = await steps.run({ operation: 'show', callId, userIds: '2' });
		expect(result.status).toBe('success');
		expect(result.items[0].json.success).toBe(false);
		expect(result.items[0].json.message).toContain('no longer active');
	});

	test.each([
		['a user id that is not a number', '1, two', 'contains "two", which is not a user ID'],
		['an empty list', '={{ [] }}', 'is empty'],
		['an object', '={{ { a: 1 } }}', 'must be user IDs separated by commas, or a list'],
	])('refuses %s before any request', async (_name, userIds, message) => {
		const result = await steps.run({ operation: 'show', callId: 'externalCall.x.1', userIds });
		expect(result.error?.message).toContain(`'Users' ${message}`);
		expect(restMethods(portal())).toEqual([]);
	});
});

describe('a queue call: shown to three users, then hidden from two', () => {
	test('register without card, show to 1,2,3, hide from 1,3 when 2 answers, finish as 2', async () => {
		const callId = await steps.register({
			additionalFields: { show: false, externalCallId: 'queue-1' },
		});
		await steps.run({ operation: 'show', callId, userIds: '1,2,3' });
		await steps.run({ operation: 'hide', callId, userIds: '1,3' });
		const finished = await steps.finish(callId, {
			userIdentification: 'extension',
			userPhoneInner: '102',
			duration: 40,
			statusCode: '200',
		});
		const events = portal().state.cardEvents.filter((e) => e.callId === callId);
		expect(events.map((e) => [e.action, e.userIds, e.via])).toEqual([
			['show', [1, 2, 3], 'show'],
			['hide', [1, 3], 'hide'],
			...events.slice(2).map((e) => [e.action, e.userIds, e.via]),
		]);
		expect(events.slice(2).every((e) => e.via === 'finish')).toBe(true);
		expect(finished.items[0].json).toMatchObject({ PORTAL_USER_ID: 2, CALL_STATUS: 1 });
	});
});
