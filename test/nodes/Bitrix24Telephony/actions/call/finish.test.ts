import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

describe('Call → Finish', () => {
	test('an answered call: statistics written, CALL_ID sent as a string, result unchanged', async () => {
		const callId = await steps.register();
		portal().clearRequests();
		const result = await steps.finish(callId, {
			userIdentification: 'userId',
			userId: { __rl: true, mode: 'id', value: '2' },
			duration: 95,
			statusCode: '200',
			additionalFields: {
				cost: 1.25,
				costCurrency: 'eur',
				failedReason: '',
				vote: 5,
				addToChat: false,
			},
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toEqual({
			CALL_ID: callId,
			USER_ID: 2,
			DURATION: 95,
			STATUS_CODE: '200',
			COST: 1.25,
			COST_CURRENCY: 'EUR',
			VOTE: 5,
			ADD_TO_CHAT: 0,
		});
		const json = result.items[0].json;
		expect(json).toMatchObject({
			CALL_ID: callId,
			CALL_DURATION: 95,
			CALL_STATUS: 1,
			CALL_FAILED_CODE: '200',
			PORTAL_USER_ID: 2,
		});
		expect(json.call).toMatchObject({
			answered: true,
			missed: false,
			status: 'answered',
			direction: 'incoming',
		});
		expect(json.crmEntityUrl).toBe(`${portal().url}/crm/contact/details/797/`);
		expect(portal().state.statistics.find((s) => s.callId === callId)).toMatchObject({
			duration: 95,
			statusCode: '200',
		});
		expect(portal().state.activeCalls.find((c) => c.callId === callId)).toBeUndefined();
	});

	test("the call is posted to the employee's chat unless turned off, on every portal", async () => {
		// The docs default ADD_TO_CHAT to 1; the module source reads an absent value as 0.
		const callId = await steps.register();
		portal().clearRequests();
		const result = await steps.finish(callId, { duration: 10, statusCode: '200' });
		expect(result.status).toBe('success');
		expect(portal().requests[0].params.ADD_TO_CHAT).toBe(1);
		expect(portal().state.statistics.find((s) => s.callId === callId)?.addToChat).toBe(true);
	});

	test('a missed incoming call: duration 0 and status 304 say "missed" for notifications', async () => {
		const callId = await steps.register();
		const result = await steps.finish(callId, { duration: 0, statusCode: '304' });
		expect(result.items[0].json.call).toMatchObject({
			answered: false,
			missed: true,
			status: 'missed',
		});
		expect(portal().state.statistics.find((s) => s.callId === callId)?.missed).toBe(true);
	});

	test('the automatic status is left to Bitrix24 (not sent)', async () => {
		const callId = await steps.register();
		portal().clearRequests();
		await steps.finish(callId, { duration: 12 });
		expect(portal().requests[0].params).not.toHaveProperty('STATUS_CODE');
		expect(portal().state.statistics.find((s) => s.callId === callId)?.statusCode).toBe('200');
	});

	test('a numeric call id from an expression is still sent as a string', async () => {
		const result = await steps.finish('={{ 12345 }}');
		expect(portal().requests[0].params.CALL_ID).toBe('12345');
		expect(result.error?.message).toBe(
			'Bitrix24 has no active call with this call ID (Bitrix24: "Call is not found (call should be registered prior to finishing")',
		);
	});

	test('a second finish gets a clear error', async () => {
		const callId = await steps.register();
		expect((await steps.finish(callId, { duration: 3 })).status).toBe('success');
		const again = await steps.finish(callId, { duration: 3 });
		expect(again.status).toBe('error');
		expect(again.error?.message).toBe(
			'Bitrix24 has no active call with this call ID (Bitrix24: "Call is not found (call should be registered prior to finishing")',
		);
		expect(again.error?.description).toContain('finished only once');
	});

	test("an unknown extension gets the explanation, not Bitrix24's misleading text alone", async () => {
		const callId = await steps.register();
		const result = await steps.finish(callId, { userPhoneInner: '999' });
		expect(result.error?.message).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
		expect(result.error?.description).toContain('UF_PHONE_INNER');
	});

	test.each([
		['an empty call id', { callId: '={{ "" }}' }, "'Call ID' is empty"],
		['a negative duration', { duration: -1 }, "'Duration' must be a whole number"],
		['a fractional duration', { duration: 2.5 }, "'Duration' must be a whole number"],
		[
			'a duration over a day',
			{ duration: 90000 },
			"'Duration' must be a whole number from 1 to 86400",
		],
		['an unknown status', { statusCode: '={{ "999" }}' }, "'Status' must be one of"],
		['a vote of 6', { additionalFields: { vote: 6 } }, "'Vote' must be a whole number from 1 to 5"],
		['a negative cost', { additionalFields: { cost: -2 } }, "'Cost' must be a number of 0 or more"],
	])('refuses %s before any request', async (_name, parameters, message) => {
		const result = await steps.finish('externalCall.0123.1', parameters);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(message);
		expect(restMethods(portal())).toEqual([]);
	});
});
