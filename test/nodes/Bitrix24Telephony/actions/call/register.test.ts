/**
 * Register through n8n's engine against the sandbox. One file over 250 lines: one case per row of
 * the method's parameter table, all on one portal.
 */
import { restMethods, usePortal, webhookCredentials } from '../../../../helpers/portal';
import { runNode } from '../../../../helpers/workflowRunner';
import { REGISTER_PARAMETERS } from '../../../../helpers/fixtures';

const { portal } = usePortal();

const base = REGISTER_PARAMETERS;

async function register(
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) {
	return await runNode({
		credentials: webhookCredentials(portal()),
		parameters: { ...base, ...parameters } as never,
		...extra,
	});
}

beforeEach(() => {
	portal().clearRequests();
	portal().state.activeCalls.length = 0;
	portal().state.leadCreationError = null;
});

describe('Call → Register through the engine', () => {
	test('a known number returns CALL_ID and the contact, Bitrix24 keys unchanged', async () => {
		const result = await register({ additionalFields: { externalCallId: 'ast-1.1' } });
		expect(result.status).toBe('success');
		// The whole output item, as n8n hands it on: Bitrix24's keys unchanged, plus our extras.
		expect(result.items).toEqual([
			{
				json: {
					CALL_ID: expect.stringMatching(/^externalCall\.[0-9a-f]{32}\.\d+$/),
					CRM_CREATED_LEAD: null,
					CRM_CREATED_ENTITIES: [],
					CRM_ENTITY_TYPE: 'CONTACT',
					CRM_ENTITY_ID: 797,
					crmEntityUrl: `${portal().url}/crm/contact/details/797/`,
					call: {
						phoneNumber: '+4915112345678',
						type: 2,
						direction: 'incoming',
						userPhoneInner: '101',
						externalCallId: 'ast-1.1',
					},
				},
				pairedItem: { item: 0 },
			},
		]);
		const json = result.items[0].json;
		const call = portal().state.activeCalls.find((c) => c.callId === json.CALL_ID);
		expect(call).toMatchObject({
			userId: 1,
			type: 2,
			externalCallId: 'ast-1.1',
			primaryEntityType: 'CONTACT',
			primaryEntityId: 797,
		});
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
	});

	test('an unknown number with Create CRM Lead creates a lead', async () => {
		const result = await register({
			phoneNumber: '+4930999888',
			additionalFields: { crmCreate: true, crmSource: 'CALL' },
		});
		const json = result.items[0].json;
		expect(json.CRM_ENTITY_TYPE).toBe('LEAD');
		expect(typeof json.CRM_CREATED_LEAD).toBe('number');
		expect(json.CRM_CREATED_ENTITIES).toEqual([
			{ ENTITY_TYPE: 'LEAD', ENTITY_ID: json.CRM_CREATED_LEAD },
		]);
		const lead = portal().state.leads.find((l) => l.id === json.CRM_CREATED_LEAD);
		expect(lead).toBeDefined();
		expect(portal().requests[0].params).toMatchObject({ CRM_CREATE: 1, CRM_SOURCE: 'CALL' });
	});

	test('an unknown number without Create CRM Lead binds nothing', async () => {
		const result = await register({
			phoneNumber: '+4930111222',
			additionalFields: { crmCreate: false },
		});
		expect(result.items[0].json).toMatchObject({
			CRM_ENTITY_TYPE: '',
			CRM_ENTITY_ID: null,
			CRM_CREATED_LEAD: null,
		});
		expect(result.items[0].json.crmEntityUrl).toBeUndefined();
	});

	test('LEAD_CREATION_ERROR is passed through', async () => {
		portal().state.leadCreationError = 'Lead creation is disabled for local users';
		const result = await register({
			phoneNumber: '+4930555444',
			additionalFields: { crmCreate: true },
		});
		expect(result.items[0].json.LEAD_CREATION_ERROR).toBe(
			'Lead creation is disabled for local users',
		);
	});

	test('every parameter of the table reaches Bitrix24 with its name and type', async () => {
		const result = await register(
			{
				userIdentification: 'userId',
				userId: { __rl: true, mode: 'list', value: '2' },
				phoneNumber: '+493012345678',
				type: 1,
				additionalFields: {
					callStartDate: '2026-11-27T09:15:00',
					crmCreate: false,
					crmSource: 'WEB',
					crmEntityType: 'COMPANY',
					crmEntityId: 643,
					show: false,
					callListId: 12,
					lineNumber: '+493000000',
					addToChat: false,
					externalCallId: 'pbx-77',
				},
			},
			{ timezone: 'Europe/Berlin' },
		);
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toEqual({
			USER_ID: 2,
			PHONE_NUMBER: '+493012345678',
			TYPE: 1,
			CALL_START_DATE: '2026-11-27T09:15:00+01:00',
			CRM_CREATE: 0,
			CRM_SOURCE: 'WEB',
			CRM_ENTITY_TYPE: 'COMPANY',
			CRM_ENTITY_ID: 643,
			SHOW: 0,
			CALL_LIST_ID: 12,
			LINE_NUMBER: '+493000000',
			ADD_TO_CHAT: 0,
			EXTERNAL_CALL_ID: 'pbx-77',
		});
		expect(result.items[0].json).toMatchObject({ CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 643 });
	});

	test.each([
		[1, 'outgoing'],
		[2, 'incoming'],
		[3, 'incoming (redirected)'],
		[4, 'callback'],
		[5, 'informational'],
	])('TYPE %i is sent as is (%s)', async (type, direction) => {
		const result = await register({ type, additionalFields: { externalCallId: `type-${type}` } });
		expect(portal().requests[0].params.TYPE).toBe(type);
		expect(result.items[0].json.call).toMatchObject({ direction });
		expect(
			portal().state.activeCalls.find((c) => c.callId === result.items[0].json.CALL_ID)?.type,
		).toBe(type);
	});

	test.each([
		[
			'an ISO date with offset keeps its offset',
			'2026-11-27T10:00:00+03:00',
			'UTC',
			'2026-11-27T10:00:00+03:00',
		],
		['an ISO date in UTC', '2026-11-27T07:00:00Z', 'Europe/Berlin', '2026-11-27T07:00:00Z'],
		[
			'a date without offset is read in the workflow zone',
			'2026-07-01 12:00:00',
			'America/New_York',
			'2026-07-01T12:00:00-04:00',
		],
		['epoch seconds', 1795770000, 'Asia/Tokyo', '2026-11-27T18:00:00+09:00'],
		['epoch milliseconds', 1795770000000, 'UTC', '2026-11-27T09:00:00Z'],
	])('CALL_START_DATE: %s', async (_name, value, timezone, expected) => {
		const result = await register(
			{ additionalFields: { callStartDate: value, externalCallId: `date-${String(value)}` } },
			{ timezone },
		);
		expect(result.status).toBe('success');
		const sent = String(portal().requests[0].params.CALL_START_DATE);
		expect(Date.parse(sent)).toBe(Date.parse(expected));
		expect(sent).toMatch(/(Z|[+-]\d\d:\d\d)$/);
		if (!expected.endsWith('Z')) expect(sent).toBe(expected);
	});

	test('a luxon date from an expression is sent with its offset', async () => {
		await register({
			additionalFields: {
				callStartDate: '={{ DateTime.fromISO("2026-11-27T08:00:00", { zone: "Europe/Moscow" }) }}',
				externalCallId: 'luxon',
			},
		});
		expect(portal().requests[0].params.CALL_START_DATE).toBe('2026-11-27T08:00:00+03:00');
	});

	test('booleans go as 0/1 even when an expression yields the string "false"', async () => {
		await register({
			additionalFields: {
				show: '={{ "false" }}',
				crmCreate: '={{ "true" }}',
				addToChat: '={{ false }}',
				externalCallId: 'flags',
			},
		});
		expect(portal().requests[0].params).toMatchObject({ SHOW: 0, CRM_CREATE: 1, ADD_TO_CHAT: 0 });
	});

	test('the same call registered twice within 30 minutes gets the same CALL_ID (Bitrix24 dedup)', async () => {
		const first = await register({ additionalFields: { externalCallId: 'dedup-1' } });
		const second = await register({ additionalFields: { externalCallId: 'dedup-1' } });
		expect(second.items[0].json.CALL_ID).toBe(first.items[0].json.CALL_ID);
		const other = await register({ additionalFields: { externalCallId: 'dedup-2' } });
		expect(other.items[0].json.CALL_ID).not.toBe(first.items[0].json.CALL_ID);
	});

	test('many items travel in one batch, each result paired with its item in order', async () => {
		const items = Array.from({ length: 7 }, (_, i) => ({
			phone: `+4930100000${i}`,
			id: `batch-${i}`,
		}));
		const result = await register(
			{
				phoneNumber: '={{ $json.phone }}',
				additionalFields: { externalCallId: '={{ $json.id }}', crmCreate: false },
			},
			{ items },
		);
		expect(result.items).toHaveLength(7);
		expect(restMethods(portal())).toEqual(['batch']);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.call).toMatchObject({
				phoneNumber: items[i].phone,
				externalCallId: items[i].id,
			});
			const call = portal().state.activeCalls.find((c) => c.callId === item.json.CALL_ID);
			expect(call?.externalCallId).toBe(items[i].id);
		});
	});

	test('with batching off, each item is its own request', async () => {
		const items = [{ id: 'single-1' }, { id: 'single-2' }];
		await register(
			{ additionalFields: { externalCallId: '={{ $json.id }}' }, options: { batching: false } },
			{ items },
		);
		expect(restMethods(portal())).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.register',
		]);
	});
});

describe('Call → Register refuses bad input before any request', () => {
	test.each([
		// Empty values arrive through expressions (a PBX event without the field): n8n itself refuses
		// to start a workflow whose required fields are literally empty.
		['no extension', { userPhoneInner: '={{ $json.none }}' }, "'Extension' is empty [item 0]"],
		[
			'no user',
			{ userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: '={{ "" }}' } },
			"'User' is empty",
		],
		[
			'a user id that is not a number',
			{ userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: '={{ "anna" }}' } },
			"'User' must be a whole number",
		],
		['an empty caller number', { phoneNumber: '={{ $json.none }}' }, "'Phone Number' is empty"],
		[
			'a withheld caller number',
			{ phoneNumber: 'anonymous' },
			`'Phone Number' is "anonymous", which is not a phone number`,
		],
		['a number with no digits', { phoneNumber: '+++' }, "'Phone Number'"],
		[
			'half a CRM pair (type only)',
			{ additionalFields: { crmEntityType: 'CONTACT' } },
			"'CRM Entity ID' is not set (0 means none), but CRM Entity Type is CONTACT",
		],
		[
			'half a CRM pair (id only)',
			{ additionalFields: { crmEntityId: 797 } },
			"'CRM Entity Type' is not set, but CRM Entity ID is",
		],
		[
			'a date that is not a date',
			{ additionalFields: { callStartDate: 'yesterday-ish' } },
			`'Call Start Date' is "yesterday-ish", which is not a date`,
		],
		[
			'a date in the far past',
			{ additionalFields: { callStartDate: '1970-01-02T00:00:00Z' } },
			'before the year 2000',
		],
		[
			'a date in the far future',
			{ additionalFields: { callStartDate: '2099-01-01T00:00:00Z' } },
			'in the future',
		],
		['a type outside 1–5', { type: 6 }, "'Call Type' must be 1 (outgoing)"],
		['a type that is text', { type: '={{ "incoming" }}' }, "'Call Type' must be 1"],
		[
			'a CRM entity type that does not exist',
			{ additionalFields: { crmEntityType: '={{ "DEAL" }}', crmEntityId: 5 } },
			'must be CONTACT, COMPANY or LEAD',
		],
		[
			'a negative CRM entity id',
			{ additionalFields: { crmEntityType: 'CONTACT', crmEntityId: -3 } },
			"'CRM Entity ID' must be a whole number",
		],
		[
			'a fractional call list id',
			{ additionalFields: { callListId: 1.5 } },
			"'Call List ID' must be a whole number",
		],
		[
			'a line number over 50 characters',
			{ additionalFields: { lineNumber: '1'.repeat(51) } },
			'is 51 characters long',
		],
		[
			'control characters in the external id',
			{ additionalFields: { externalCallId: 'a\u0000b' } },
			"'External Call ID (Legacy)' contains a NUL character [item 0]",
		],
		[
			'a line break at the end of the external id at the top',
			{ externalCallId: '1710140185.18441\n' },
			"'External Call ID' contains a line break (LF) [item 0]",
		],
		[
			'a list where a number goes',
			{ phoneNumber: '={{ ["+491"] }}' },
			'must be text, but is a list',
		],
	])('%s', async (_name, parameters, message) => {
		const result = await register(parameters);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(message);
		expect(portal().requests).toHaveLength(0);
	});

	test('with Continue On Fail, the bad item fails alone and the others are registered', async () => {
		const items = [{ phone: '+491511111' }, { phone: 'anonymous' }, { phone: '+491522222' }];
		const result = await register(
			{ phoneNumber: '={{ $json.phone }}', additionalFields: { crmCreate: false } },
			{ items, continueOnFail: true },
		);
		expect(result.status).toBe('success');
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.CALL_ID).toBeDefined();
		expect(result.items[1].json.error).toContain("'Phone Number'");
		expect(result.items[2].json.CALL_ID).toBeDefined();
		// The invalid item never reached Bitrix24: one batch with the two valid ones.
		expect(portal().requests).toHaveLength(1);
		expect(portal().requests[0].batchCommands).toHaveLength(2);
	});

	test('without Continue On Fail, one bad item stops the node before anything is sent', async () => {
		const items = [{ phone: '+491511111' }, { phone: '' }];
		const result = await register({ phoneNumber: '={{ $json.phone }}' }, { items });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/\[item 1\]$/);
		expect(portal().requests).toHaveLength(0);
	});
});

describe('operations the node does not have', () => {
	test('"Custom API Call" (which n8n injects into the list) is refused clearly, before any request', async () => {
		const result = await register({ operation: '__CUSTOM_API_CALL__' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'The operation "__CUSTOM_API_CALL__" of resource "call" is not supported by Bitrix24 Telephony',
		);
		expect(result.error?.description).toContain('HTTP Request node');
		expect(portal().requests).toHaveLength(0);
	});
});
