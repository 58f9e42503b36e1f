import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

/** Logs finished calls through the node itself (one batched run), one per hour from `firstHour`. */
async function logCalls(prefix: string, count: number, firstHour = '2026-11-02T08') {
	const rows = Array.from({ length: count }, (_, i) => ({
		phone: `+49301234${String(i).padStart(4, '0')}`,
		start: new Date(Date.parse(`${firstHour}:00:00Z`) + i * 3_600_000).toISOString(),
		id: `${prefix}-${i}`,
	}));
	const result = await steps.run(
		{
			operation: 'logCompletedCall',
			userIdentification: 'extension',
			userPhoneInner: '102',
			phoneNumber: '={{ $json.phone }}',
			type: 2,
			duration: 30,
			statusCode: '200',
			additionalFields: { callStartDate: '={{ $json.start }}', externalCallId: '={{ $json.id }}' },
		},
		{ items: rows },
	);
	if (result.status !== 'success') throw new Error(`logging failed: ${result.error?.message}`);
}

beforeEach(() => portal().clearRequests());

describe('Call → Get Call History', () => {
	test('finds the call Bitrix24 logged for a PBX call ID, in the statistics shape', async () => {
		const callId = await steps.register({ additionalFields: { externalCallId: 'hist-one' } });
		await steps.finish(callId, { duration: 42, statusCode: '200' });
		portal().clearRequests();

		const result = await steps.run({
			operation: 'getCallHistory',
			filters: { externalCallId: 'hist-one' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests.map((r) => [r.restMethod, r.params])).toEqual([
			[
				'voximplant.statistic.get',
				{
					FILTER: { EXTERNAL_CALL_ID: 'hist-one' },
					SORT: 'CALL_START_DATE',
					ORDER: 'DESC',
					start: 0,
				},
			],
		]);
		expect(result.items).toHaveLength(1);
		// The list prints the table as stored: numbers as strings, the start date in ISO 8601.
		expect(result.items[0].json).toMatchObject({
			CALL_ID: callId,
			EXTERNAL_CALL_ID: 'hist-one',
			CALL_DURATION: '42',
			CALL_TYPE: '2',
			CALL_FAILED_CODE: '200',
			PHONE_NUMBER: '+4915112345678',
			PORTAL_USER_ID: '1',
		});
		expect(String(result.items[0].json.CALL_START_DATE)).toMatch(
			/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/,
		);
	});

	test('pages through more than 50 calls with `start`, newest first, and stops at the limit', async () => {
		await logCalls('page', 60, '2026-10-01T00');
		portal().clearRequests();
		const filters = {
			startedAfter: '2026-10-01T00:00:00Z',
			startedBefore: '2026-10-03T11:59:59Z',
		};

		const all = await steps.run({ operation: 'getCallHistory', returnAll: true, filters });
		expect(all.status).toBe('success');
		expect(all.items).toHaveLength(60);
		expect(all.items[0].json.EXTERNAL_CALL_ID).toBe('page-59');
		expect(all.items[59].json.EXTERNAL_CALL_ID).toBe('page-0');
		expect(portal().requests.map((r) => r.params.start)).toEqual([0, 50]);
		expect(portal().requests[0].params.FILTER).toEqual({
			'>=CALL_START_DATE': expect.stringMatching(/^2026-10-01T00:00:00(Z|[+-]00:00)$/),
			'<=CALL_START_DATE': expect.stringMatching(/^2026-10-03T11:59:59(Z|[+-]00:00)$/),
		});

		portal().clearRequests();
		const some = await steps.run({
			operation: 'getCallHistory',
			limit: 5,
			order: 'ASC',
			filters,
		});
		expect(some.items.map((i) => i.json.EXTERNAL_CALL_ID)).toEqual([
			'page-0',
			'page-1',
			'page-2',
			'page-3',
			'page-4',
		]);
		expect(restMethods(portal())).toEqual(['voximplant.statistic.get']);
	});

	test('the phone filter finds a number registered with spaces and dashes, typed the same way', async () => {
		// Register stores "+49 30 555-0101" as "+49305550101" (docs/bitrix24-fidelity.md row 48).
		const callId = await steps.register({
			phoneNumber: '+49 30 555-0101',
			additionalFields: { externalCallId: 'hist-phone' },
		});
		await steps.finish(callId, { duration: 5, statusCode: '200' });
		portal().clearRequests();
		const result = await steps.run({
			operation: 'getCallHistory',
			filters: { phoneNumber: '+49 (30) 555-0101' },
		});
		expect(portal().requests[0].params.FILTER).toEqual({ PHONE_NUMBER: '+49305550101' });
		expect(result.items.map((i) => [i.json.CALL_ID, i.json.PHONE_NUMBER])).toEqual([
			[callId, '+49305550101'],
		]);
	});

	test('nothing found is no item, not an error', async () => {
		const result = await steps.run({
			operation: 'getCallHistory',
			filters: { externalCallId: 'never-logged' },
		});
		expect(result.status).toBe('success');
		expect(result.items).toEqual([]);
	});

	test('a wrong status code is refused before any request, naming the field', async () => {
		const result = await steps.run({ operation: 'getCallHistory', filters: { statusCode: '999' } });
		expect(result.error?.message).toMatch(/^'Status Code' is "999", .* \[item 0\]$/);
		expect(restMethods(portal())).toEqual([]);
	});
});
