/**
 * The sandbox's telephony.externalcall.register. One file over 250 lines: the cases follow the
 * method's validation order, then its answers and the 30-minute dedup, step by step.
 */
import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });
const START = Date.parse('2026-03-10T10:00:00Z');

describe('telephony.externalcall.register', () => {
	let sandbox: Sandbox;
	let clock = START;
	const register = (params: Record<string, unknown>) =>
		http.post(`${sandbox.webhookUrl}telephony.externalcall.register.json`, params);
	const registerForm = (query: string) =>
		http.post(`${sandbox.webhookUrl}telephony.externalcall.register`, query, {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});

	beforeEach(async () => {
		clock = START;
		sandbox = await startSandbox({ now: () => clock });
	});
	afterEach(() => sandbox.close());

	describe('validation order and messages (docs/bitrix24-fidelity.md row 1)', () => {
		const cases: Array<[string, Record<string, unknown>, string]> = [
			[
				'no user at all',
				{ PHONE_NUMBER: 'x', TYPE: 9, CALL_START_DATE: 'garbage' },
				'USER_ID or USER_PHONE_INNER should be set',
			],
			[
				'unknown extension',
				{ USER_PHONE_INNER: '999', PHONE_NUMBER: '+49', TYPE: 2 },
				'USER_ID or USER_PHONE_INNER should be set',
			],
			[
				'extension of a fired user',
				{ USER_PHONE_INNER: '104', PHONE_NUMBER: '+49', TYPE: 2 },
				'USER_ID or USER_PHONE_INNER should be set',
			],
			[
				'USER_ID 0',
				{ USER_ID: 0, PHONE_NUMBER: '+49', TYPE: 2 },
				'USER_ID or USER_PHONE_INNER should be set',
			],
			[
				'TYPE before date and phone',
				{ USER_ID: 1, PHONE_NUMBER: 'anonymous', TYPE: 6, CALL_START_DATE: 'garbage' },
				'Unknown TYPE',
			],
			['missing TYPE', { USER_ID: 1, PHONE_NUMBER: '+49' }, 'Unknown TYPE'],
			[
				'date before phone',
				{ USER_ID: 1, PHONE_NUMBER: 'anonymous', TYPE: 2, CALL_START_DATE: 'yesterday-ish' },
				'CALL_START_DATE should be in the ISO-8601 format',
			],
			[
				'phone before user activity',
				{ USER_ID: 4, PHONE_NUMBER: 'anonymous', TYPE: 2 },
				'Unsupported phone number format',
			],
			['empty phone', { USER_ID: 1, PHONE_NUMBER: '', TYPE: 2 }, 'Unsupported phone number format'],
			[
				'"0" strips to a falsy phone',
				{ USER_ID: 1, PHONE_NUMBER: '0', TYPE: 2 },
				'Unsupported phone number format',
			],
			[
				'fired user',
				{ USER_ID: 4, PHONE_NUMBER: '+49', TYPE: 2 },
				'User is not found or is not active',
			],
			[
				'bot user',
				{ USER_ID: 5, PHONE_NUMBER: '+49', TYPE: 2 },
				'User is not found or is not active',
			],
			[
				'unknown user id',
				{ USER_ID: 77, PHONE_NUMBER: '+49', TYPE: 2 },
				'User is not found or is not active',
			],
		];
		it.each(cases)('%s', async (_name, params, message) => {
			const response = await register(params);
			expect(response.status).toBe(400);
			expect(response.data).toEqual({ error: '', error_description: message });
		});

		it('uses ERROR_CORE as the code when configured', async () => {
			sandbox.configure({ errorCodeStyle: 'ERROR_CORE' });
			const response = await register({ USER_ID: 1, PHONE_NUMBER: '+49' });
			expect(response.data).toEqual({ error: 'ERROR_CORE', error_description: 'Unknown TYPE' });
		});
	});

	it('compares TYPE loosely like PHP in_array', async () => {
		for (const type of ['2', 5, ' 3', '4.0', true]) {
			expect(
				(
					await register({
						USER_ID: 1,
						PHONE_NUMBER: `+49${String(type).length}`,
						TYPE: type,
						EXTERNAL_CALL_ID: String(type),
					})
				).status,
			).toBe(200);
		}
		expect(
			(await register({ USER_ID: 1, PHONE_NUMBER: '+49', TYPE: '2abc' })).data.error_description,
		).toBe('Unknown TYPE');
	});

	it('lets a non-zero USER_ID win over USER_PHONE_INNER', async () => {
		await register({ USER_ID: '3abc', USER_PHONE_INNER: '102', PHONE_NUMBER: '+4930999', TYPE: 2 });
		await register({ USER_ID: 0, USER_PHONE_INNER: '102', PHONE_NUMBER: '+4930998', TYPE: 2 });
		expect(sandbox.state.activeCalls.map((call) => call.userId)).toEqual([3, 2]);
	});

	it('returns the documented result shape when a contact matches', async () => {
		const response = await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			CALL_START_DATE: '2026-03-10T11:19:38+01:00',
		});
		expect(response.status).toBe(200);
		expect(Object.keys(response.data.result)).toEqual([
			'CALL_ID',
			'CRM_CREATED_LEAD',
			'CRM_CREATED_ENTITIES',
			'CRM_ENTITY_TYPE',
			'CRM_ENTITY_ID',
		]);
		expect(response.data.result).toMatchObject({
			CRM_CREATED_LEAD: null,
			CRM_CREATED_ENTITIES: [],
			CRM_ENTITY_TYPE: 'CONTACT',
			CRM_ENTITY_ID: 797,
		});
		expect(response.data.result.CALL_ID).toMatch(
			new RegExp(`^externalCall\\.[0-9a-f]{32}\\.${START / 1000}$`),
		);
	});

	it('reports nothing bound as "" and null', async () => {
		const response = await register({ USER_ID: 1, PHONE_NUMBER: '+12025550123', TYPE: 2 });
		expect(response.data.result).toMatchObject({
			CRM_CREATED_LEAD: null,
			CRM_CREATED_ENTITIES: [],
			CRM_ENTITY_TYPE: '',
			CRM_ENTITY_ID: null,
		});
	});

	it('matches CRM on normalized digits only: contacts, then companies, then leads', async () => {
		const formatted = await register({ USER_ID: 1, PHONE_NUMBER: '+1 (906) 219-5047', TYPE: 2 });
		expect(formatted.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 798 });
		const company = await register({ USER_ID: 1, PHONE_NUMBER: '00493012345678', TYPE: 2 });
		expect(company.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'COMPANY', CRM_ENTITY_ID: 643 });
		// RU trunk prefix: 8906... is rewritten to 7906... and finds the lead
		const lead = await register({ USER_ID: 1, PHONE_NUMBER: '89062195047', TYPE: 2 });
		expect(lead.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'LEAD', CRM_ENTITY_ID: 1201 });
		const national = await register({ USER_ID: 1, PHONE_NUMBER: '030 12345678', TYPE: 2 });
		expect(national.data.result.CRM_ENTITY_TYPE).toBe('');
		sandbox.state.contacts.push({
			id: 900,
			name: 'Daisy contact',
			phones: ['+49 30 12345678'],
			emails: [],
			assignedById: 2,
			sourceId: null,
			createdByCallId: null,
		});
		const both = await register({ USER_ID: 2, PHONE_NUMBER: '+493012345678', TYPE: 2 });
		expect(both.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 900 });
	});

	it('stores the stripped number and keeps + # * , ;', async () => {
		await register({ USER_ID: 1, PHONE_NUMBER: 'tel: +49 (30) 123-45;ext*7#', TYPE: 2 });
		expect(sandbox.state.activeCalls[0].phoneNumber).toBe('+493012345;*7#');
	});

	it('takes an explicit CRM pair without checking it, and only when both are set', async () => {
		const pair = await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			CRM_ENTITY_TYPE: 'LEAD',
			CRM_ENTITY_ID: '555',
		});
		expect(pair.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'LEAD', CRM_ENTITY_ID: 555 });
		const onlyType = await register({
			USER_ID: 2,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			CRM_ENTITY_TYPE: 'LEAD',
		});
		expect(onlyType.data.result).toMatchObject({ CRM_ENTITY_TYPE: 'CONTACT', CRM_ENTITY_ID: 797 });
	});

	it('creates a lead with CRM_CREATE (or CRM) when nothing matched; "false" is truthy', async () => {
		const created = await register({
			USER_ID: 2,
			PHONE_NUMBER: '+4917000000001',
			TYPE: 2,
			CRM_CREATE: 1,
			CRM_SOURCE: 'WEB',
		});
		const leadId = created.data.result.CRM_CREATED_LEAD;
		expect(created.data.result).toEqual({
			CALL_ID: expect.any(String),
			CRM_CREATED_LEAD: leadId,
			CRM_CREATED_ENTITIES: [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: leadId }],
			CRM_ENTITY_TYPE: 'LEAD',
			CRM_ENTITY_ID: leadId,
		});
		expect(sandbox.state.leads.find((lead) => lead.id === leadId)).toMatchObject({
			phones: ['+4917000000001'],
			sourceId: 'WEB',
			assignedById: 2,
		});

		expect(
			(await registerForm('USER_ID=1&PHONE_NUMBER=%2B4917000000002&TYPE=2&CRM_CREATE=false')).data
				.result.CRM_CREATED_LEAD,
		).toEqual(expect.any(Number));
		expect(
			(await register({ USER_ID: 1, PHONE_NUMBER: '+4917000000003', TYPE: 2, CRM: 1 })).data.result
				.CRM_CREATED_LEAD,
		).toEqual(expect.any(Number));
		for (const falsy of ['0', 0, false, '']) {
			const response = await register({
				USER_ID: 1,
				PHONE_NUMBER: '+4917000000004',
				TYPE: 2,
				CRM_CREATE: falsy,
				EXTERNAL_CALL_ID: `f${String(falsy)}`,
			});
			expect(response.data.result.CRM_CREATED_LEAD).toBeNull();
		}
		const matched = await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			CRM_CREATE: 1,
		});
		expect(matched.data.result.CRM_CREATED_LEAD).toBeNull();
	});

	it('reports LEAD_CREATION_ERROR only when lead creation fails', async () => {
		sandbox.state.leadCreationError = 'Access denied to create a lead';
		const response = await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4917000000005',
			TYPE: 2,
			CRM_CREATE: 1,
		});
		expect(response.data.result).toEqual({
			CALL_ID: expect.any(String),
			CRM_CREATED_LEAD: null,
			CRM_CREATED_ENTITIES: [],
			CRM_ENTITY_TYPE: '',
			CRM_ENTITY_ID: null,
			LEAD_CREATION_ERROR: 'Access denied to create a lead',
		});
	});

	it('treats a client number equal to an extension as internal: no CRM, no lead', async () => {
		const response = await register({ USER_ID: 1, PHONE_NUMBER: '102', TYPE: 1, CRM_CREATE: 1 });
		expect(response.data.result).toMatchObject({
			CRM_CREATED_LEAD: null,
			CRM_ENTITY_TYPE: '',
			CRM_ENTITY_ID: null,
		});
		expect(sandbox.state.activeCalls[0]).toMatchObject({ crmEnabled: false, portalUserId: 2 });
	});

	it('auto-creates unknown lines (trimmed, 50 chars) without a name', async () => {
		await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			LINE_NUMBER: '  +4940111  ',
		});
		await register({
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345679',
			TYPE: 2,
			LINE_NUMBER: '+493000000',
		});
		expect(sandbox.state.lines.map((line) => [line.number, line.name, line.appId])).toEqual([
			['+493000000', 'Main line', null],
			['+4940111', null, null],
		]);
		expect(sandbox.state.activeCalls.map((call) => call.portalNumber)).toEqual([
			'+4940111',
			'+493000000',
		]);
	});

	it('records SHOW, ADD_TO_CHAT, CRM_SOURCE, CALL_LIST_ID and the raw parameters', async () => {
		await registerForm(
			'USER_ID=1&PHONE_NUMBER=%2B4915112345678&TYPE=2&SHOW=0&ADD_TO_CHAT=0&CRM_SOURCE=CALL&CALL_LIST_ID=12',
		);
		await register({ USER_ID: 2, PHONE_NUMBER: '+4915112345678', TYPE: 2, SHOW: 'false' });
		const [first, second] = sandbox.state.activeCalls;
		expect(first).toMatchObject({
			show: false,
			addToChat: '0',
			crmSource: 'CALL',
			callListId: 12,
			params: { SHOW: '0', CALL_LIST_ID: '12' },
		});
		expect(second.show).toBe(true);
		expect(sandbox.state.cardEvents).toEqual([
			expect.objectContaining({
				callId: second.callId,
				action: 'show',
				userIds: [2],
				via: 'register',
			}),
		]);
	});

	describe('CALL_START_DATE parsing', () => {
		const startOf = async (value: unknown) => {
			await register({
				USER_ID: 1,
				PHONE_NUMBER: '+4915112345678',
				TYPE: 2,
				CALL_START_DATE: value,
				EXTERNAL_CALL_ID: String(Math.random()),
			});
			return new Date(
				sandbox.state.activeCalls[sandbox.state.activeCalls.length - 1].dateCreate,
			).toISOString();
		};
		it.each([
			['2026-03-10T11:19:38+01:00', '2026-03-10T10:19:38.000Z'],
			['2026-03-10T10:19:38Z', '2026-03-10T10:19:38.000Z'],
			['2026-03-10T10:19:38.123+0000', '2026-03-10T10:19:38.000Z'],
			['2026-03-10 11:19:38', '2026-03-10T10:19:38.000Z'],
			['2026-07-10 11:19:38', '2026-07-10T09:19:38.000Z'],
			['10.03.2026 11:19', '2026-03-10T10:19:00.000Z'],
			['@1773130778', '2026-03-10T08:19:38.000Z'],
			['', '2026-03-10T10:00:00.000Z'],
			['now', '2026-03-10T10:00:00.000Z'],
		])('%s -> %s', async (value, expected) => {
			expect(await startOf(value)).toBe(expected);
		});
	});

	describe('30-minute dedup (docs/bitrix24-fidelity.md row 3)', () => {
		const base = { USER_ID: 1, PHONE_NUMBER: '+4915112345678', TYPE: 2 };
		const callId = async (params: Record<string, unknown>) =>
			(await register(params)).data.result.CALL_ID as string;

		it('returns the same CALL_ID for the same user, phone, type and app within 30 minutes', async () => {
			const first = await callId(base);
			clock += 29 * 60 * 1000;
			expect(await callId(base)).toBe(first);
			expect(sandbox.state.activeCalls[0].registerCount).toBe(2);
			clock += 2 * 60 * 1000;
			expect(await callId(base)).not.toBe(first);
			expect(sandbox.state.activeCalls).toHaveLength(2);
		});

		it('dedups on DATE_CREATE = CALL_START_DATE, not on registration time', async () => {
			const first = await callId({ ...base, CALL_START_DATE: '2026-03-10T10:00:00Z' });
			clock += 10 * 60 * 1000;
			expect(await callId({ ...base, CALL_START_DATE: '2026-03-10T10:09:00Z' })).toBe(first);
			clock = START + 31 * 60 * 1000;
			expect(await callId(base)).not.toBe(first);
		});

		it('never dedups backfilled calls older than 30 minutes', async () => {
			const old = { ...base, CALL_START_DATE: '2026-03-10T09:00:00Z' };
			expect(await callId(old)).not.toBe(await callId(old));
		});

		it('keeps future start dates dedupable until 30 minutes after them', async () => {
			const future = { ...base, CALL_START_DATE: '2026-03-10T12:00:00Z' };
			const first = await callId(future);
			clock = Date.parse('2026-03-10T12:29:00Z');
			expect(await callId(base)).toBe(first);
			clock = Date.parse('2026-03-10T12:31:00Z');
			expect(await callId(base)).not.toBe(first);
		});

		it('compares the stripped phone exactly, TYPE and user', async () => {
			const first = await callId(base);
			expect(await callId({ ...base, PHONE_NUMBER: '+49 151 12345678' })).toBe(first);
			expect(await callId({ ...base, PHONE_NUMBER: '4915112345678' })).not.toBe(first);
			expect(await callId({ ...base, TYPE: '2' })).toBe(first);
			expect(await callId({ ...base, TYPE: 3 })).not.toBe(first);
			expect(await callId({ ...base, USER_ID: 2 })).not.toBe(first);
		});

		it('compares EXTERNAL_CALL_ID and LINE_NUMBER only when passed', async () => {
			const first = await callId({ ...base, EXTERNAL_CALL_ID: 'ast-1', LINE_NUMBER: '+493000000' });
			expect(await callId(base)).toBe(first);
			expect(await callId({ ...base, EXTERNAL_CALL_ID: 'ast-1' })).toBe(first);
			expect(await callId({ ...base, LINE_NUMBER: '+493000000' })).toBe(first);
			expect(await callId({ ...base, EXTERNAL_CALL_ID: 'ast-2' })).not.toBe(first);
			expect(await callId({ ...base, EXTERNAL_CALL_ID: 'ast-1', LINE_NUMBER: '+4940' })).not.toBe(
				first,
			);
		});

		it('returns the stored CRM data on a hit and shows the card again, never LEAD_CREATION_ERROR', async () => {
			const created = await register({ ...base, PHONE_NUMBER: '+4917000000009', CRM_CREATE: 1 });
			sandbox.state.leadCreationError = 'nope';
			const again = await register({ ...base, PHONE_NUMBER: '+4917000000009', CRM_CREATE: 1 });
			expect(again.data.result).toEqual(created.data.result);
			const unbound = await register({ ...base, PHONE_NUMBER: '+12025550100' });
			const unboundAgain = await register({ ...base, PHONE_NUMBER: '+12025550100' });
			expect(unbound.data.result.CRM_ENTITY_TYPE).toBe('');
			expect(unboundAgain.data.result.CRM_ENTITY_TYPE).toBeNull();
			expect(sandbox.state.cardEvents).toHaveLength(4);
		});

		it('never dedups against finished calls', async () => {
			const first = await callId(base);
			await http.post(`${sandbox.webhookUrl}telephony.externalcall.finish`, {
				CALL_ID: first,
				USER_ID: 1,
			});
			expect(await callId(base)).not.toBe(first);
		});
	});

	it('refuses webhooks with WRONG_AUTH_TYPE in "doc" auth mode', async () => {
		sandbox.configure({ authTypeMode: 'doc' });
		const response = await register({ USER_ID: 1, PHONE_NUMBER: '+49', TYPE: 2 });
		expect(response.status).toBe(403);
		expect(response.data).toEqual({
			error: 'WRONG_AUTH_TYPE',
			error_description: 'Current authorization type is denied for this method',
		});
	});
});
