import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

describe('Call → Search CRM Entities', () => {
	test("one item per entity, with the responsible employee's extension for routing", async () => {
		const result = await steps.run({
			operation: 'searchCrmEntities',
			phoneNumber: '+4915112345678',
		});
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			CRM_ENTITY_TYPE: 'CONTACT',
			CRM_ENTITY_ID: 797,
			NAME: 'ACME Support',
			ASSIGNED_BY_ID: 2,
			responsibleExtension: '102',
			crmEntityUrl: `${portal().url}/crm/contact/details/797/`,
		});
	});

	test('responsibleAvailable: true only for an OPENED working day, null when time is not tracked', async () => {
		const availability = async () => {
			const result = await steps.run({
				operation: 'searchCrmEntities',
				phoneNumber: '+4915112345678',
			});
			const json = result.items[0].json;
			return [
				(json.ASSIGNED_BY as { TIMEMAN_STATUS: string }).TIMEMAN_STATUS,
				json.responsibleAvailable,
			];
		};
		// The seeded responsible employee closed their working day.
		expect(await availability()).toEqual(['CLOSED', false]);
		try {
			// No time tracking on the portal, or not for this employee: unknown, not "unavailable".
			portal().configure({ timeman: 'NOT_INSTALLED' });
			expect(await availability()).toEqual(['NOT_INSTALLED', null]);
			portal().configure({ timeman: 'UNAVAILABLE' });
			expect(await availability()).toEqual(['UNAVAILABLE', null]);
		} finally {
			portal().configure({ timeman: 'tracked' });
		}
	});

	test('no match is no item, not an error', async () => {
		const result = await steps.run({ operation: 'searchCrmEntities', phoneNumber: '+10000000000' });
		expect(result.status).toBe('success');
		expect(result.items).toEqual([]);
	});

	test('several numbers in one batch keep their pairing', async () => {
		const result = await steps.run(
			{ operation: 'searchCrmEntities', phoneNumber: '={{ $json.phone }}' },
			{
				items: [{ phone: '+493012345678' }, { phone: '+10000000000' }, { phone: '+4915112345678' }],
			},
		);
		expect(restMethods(portal())).toEqual(['batch']);
		expect(result.items.map((i) => [i.pairedItem, i.json.CRM_ENTITY_TYPE])).toEqual([
			[{ item: 0 }, 'COMPANY'],
			[{ item: 2 }, 'CONTACT'],
		]);
	});
});

describe('Call → Attach Transcription', () => {
	const messages = [
		{ side: 'User', startTime: 0, stopTime: 3, message: 'Hello, ACME support' },
		{ side: 'client', startTime: 3, stopTime: 9, message: 'My order is late' },
	];

	test("messages are sent in Bitrix24's shape", async () => {
		const callId = await steps.register({ additionalFields: { externalCallId: 'tr-1' } });
		await steps.finish(callId, { duration: 9, statusCode: '200' });
		portal().clearRequests();
		const result = await steps.run({
			operation: 'attachTranscription',
			callId,
			messages: JSON.stringify(messages),
			additionalFields: { cost: 0.02, costCurrency: 'usd' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toEqual({
			CALL_ID: callId,
			MESSAGES: [
				{ SIDE: 'User', START_TIME: 0, STOP_TIME: 3, MESSAGE: 'Hello, ACME support' },
				{ SIDE: 'Client', START_TIME: 3, STOP_TIME: 9, MESSAGE: 'My order is late' },
			],
			COST: 0.02,
			COST_CURRENCY: 'USD',
		});
		expect(typeof result.items[0].json.TRANSCRIPT_ID).toBe('number');
	});

	test.each([
		['not a list', '{"side":"User"}', 'must be a list'],
		[
			'an unknown side',
			'[{"side":"Bot","startTime":0,"stopTime":1,"message":"x"}]',
			'side is not "Client" or "User"',
		],
		[
			'a stop before the start',
			'[{"side":"User","startTime":5,"stopTime":1,"message":"x"}]',
			'stops before it starts',
		],
		['an empty text', '[{"side":"User","startTime":0,"stopTime":1,"message":""}]', 'without text'],
	])('refuses %s before any request', async (_name, value, message) => {
		const result = await steps.run({
			operation: 'attachTranscription',
			callId: 'externalCall.x.1',
			messages: value,
		});
		expect(result.error?.message).toContain(`'Messages' `);
		expect(result.error?.message).toContain(message);
		expect(restMethods(portal())).toEqual([]);
	});
});
