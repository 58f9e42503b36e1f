import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });

describe('finish, show and hide', () => {
	let sandbox: Sandbox;
	const call = (method: string, params: unknown) =>
		http.post(`${sandbox.webhookUrl}telephony.externalcall.${method}.json`, params);
	const register = async (params: Record<string, unknown> = {}) =>
		(
			await call('register', {
				USER_ID: 1,
				PHONE_NUMBER: '+4915112345678',
				TYPE: 2,
				EXTERNAL_CALL_ID: String(Math.random()),
				...params,
			})
		).data.result.CALL_ID as string;

	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	describe('telephony.externalcall.finish', () => {
		it('returns the statistics row with its PHP types and moves the call to statistics', async () => {
			const callId = await register({ EXTERNAL_CALL_ID: 'ast-7' });
			const response = await call('finish', { CALL_ID: callId, USER_ID: 2, DURATION: 95, VOTE: 5 });
			expect(response.status).toBe(200);
			expect(Object.keys(response.data.result)).toEqual([
				'CALL_ID',
				'EXTERNAL_CALL_ID',
				'PORTAL_USER_ID',
				'PHONE_NUMBER',
				'PORTAL_NUMBER',
				'INCOMING',
				'CALL_DURATION',
				'CALL_START_DATE',
				'CALL_STATUS',
				'CALL_VOTE',
				'COST',
				'COST_CURRENCY',
				'CALL_FAILED_CODE',
				'CALL_FAILED_REASON',
				'REST_APP_ID',
				'REST_APP_NAME',
				'CRM_ACTIVITY_ID',
				'COMMENT',
				'CRM_ENTITY_TYPE',
				'CRM_ENTITY_ID',
				'ID',
			]);
			expect(response.data.result).toEqual({
				CALL_ID: callId,
				EXTERNAL_CALL_ID: 'ast-7',
				PORTAL_USER_ID: 2,
				PHONE_NUMBER: '+4915112345678',
				PORTAL_NUMBER: 'REST_APP:',
				INCOMING: '2',
				CALL_DURATION: 95,
				CALL_START_DATE: {},
				CALL_STATUS: 1,
				CALL_VOTE: 5,
				COST: 0,
				COST_CURRENCY: '',
				CALL_FAILED_CODE: '200',
				CALL_FAILED_REASON: '',
				REST_APP_ID: null,
				REST_APP_NAME: false,
				CRM_ACTIVITY_ID: expect.any(Number),
				COMMENT: null,
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: 797,
				ID: 1,
			});
			expect(sandbox.state.activeCalls).toHaveLength(0);
			expect(sandbox.state.statistics[0]).toMatchObject({
				callId,
				portalUserId: 2,
				duration: 95,
				statusCode: '200',
			});
			expect(sandbox.state.activities[0]).toMatchObject({
				id: response.data.result.CRM_ACTIVITY_ID,
				ownerType: 'CONTACT',
				ownerId: 797,
				responsibleId: 2,
			});
			expect(sandbox.state.cardEvents.at(-1)).toMatchObject({
				callId,
				action: 'hide',
				userIds: [2],
				via: 'finish',
			});
		});

		it('defaults STATUS_CODE from DURATION and sets CALL_STATUS from DURATION alone', async () => {
			const missed = await call('finish', { CALL_ID: await register(), USER_ID: 1 });
			expect(missed.data.result).toMatchObject({
				CALL_FAILED_CODE: '304',
				CALL_STATUS: 0,
				CALL_DURATION: 0,
			});
			expect(sandbox.state.statistics[0].missed).toBe(true);
			const busy = await call('finish', {
				CALL_ID: await register(),
				USER_ID: 1,
				DURATION: 3,
				STATUS_CODE: 486,
			});
			expect(busy.data.result).toMatchObject({ CALL_FAILED_CODE: '486', CALL_STATUS: 1 });
		});

		it('leaves out CRM fields and the activity when nothing is bound; line number as PORTAL_NUMBER', async () => {
			const callId = await register({ PHONE_NUMBER: '+12025550123', LINE_NUMBER: '+493000000' });
			const response = await call('finish', { CALL_ID: callId, USER_PHONE_INNER: '103' });
			expect(response.data.result).toMatchObject({
				PORTAL_NUMBER: '+493000000',
				PORTAL_USER_ID: 3,
				CRM_ACTIVITY_ID: null,
			});
			expect(response.data.result).not.toHaveProperty('CRM_ENTITY_TYPE');
		});

		it('makes the finishing user responsible for the auto-created lead', async () => {
			const callId = await register({ PHONE_NUMBER: '+4917000000001', CRM_CREATE: 1 });
			const leadId = sandbox.state.activeCalls[0].crmCreatedLead;
			await call('finish', { CALL_ID: callId, USER_ID: 3, DURATION: 10 });
			expect(sandbox.state.leads.find((lead) => lead.id === leadId)?.assignedById).toBe(3);
			expect(sandbox.state.contacts.find((contact) => contact.id === 797)?.assignedById).toBe(2);
		});

		it('validates in source order: user, CALL_ID type, call, user activity', async () => {
			const callId = await register();
			expect((await call('finish', { CALL_ID: 5 })).data).toEqual({
				error: '',
				error_description: 'USER_ID or USER_PHONE_INNER should be set',
			});
			const notString = await call('finish', { CALL_ID: 5, USER_ID: 1 });
			expect(notString.status).toBe(400);
			expect(notString.data).toEqual({
				error: 'INVALID_ARGUMENT',
				error_description: 'CALL_ID must be a string',
			});
			expect((await call('finish', { USER_ID: 1 })).data.error).toBe('INVALID_ARGUMENT');
			expect(
				(await call('finish', { CALL_ID: 'externalCall.nope.1', USER_ID: 4 })).data
					.error_description,
			).toBe('Call is not found (call should be registered prior to finishing');
			expect((await call('finish', { CALL_ID: callId, USER_ID: 4 })).data.error_description).toBe(
				'User is not found or is not active',
			);
			expect((await call('finish', { CALL_ID: callId, USER_ID: 1 })).status).toBe(200);
			expect((await call('finish', { CALL_ID: callId, USER_ID: 1 })).data.error_description).toBe(
				'Call is not found (call should be registered prior to finishing',
			);
		});

		it('records ADD_TO_CHAT as the source passes it (absent is false, "false" is true)', async () => {
			await call('finish', { CALL_ID: await register(), USER_ID: 1 });
			await call('finish', { CALL_ID: await register(), USER_ID: 1, ADD_TO_CHAT: 'false' });
			await call('finish', { CALL_ID: await register(), USER_ID: 1, ADD_TO_CHAT: 0 });
			expect(sandbox.state.statistics.map((row) => row.addToChat)).toEqual([false, true, false]);
		});
	});

	describe('show and hide', () => {
		it('return true for active calls and record who saw the card', async () => {
			const callId = await register({ SHOW: 0 });
			expect((await call('show', { CALL_ID: callId, USER_ID: [1, 2] })).data.result).toBe(true);
			const form = await http.post(
				`${sandbox.webhookUrl}telephony.externalcall.hide`,
				`CALL_ID=${callId}&USER_ID[]=2&USER_ID[]=3`,
				{
					headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				},
			);
			expect(form.data.result).toBe(true);
			expect((await call('show', { CALL_ID: callId })).data.result).toBe(true);
			expect((await call('hide', { CALL_ID: callId, USER_ID: '2' })).data.result).toBe(true);
			expect(
				sandbox.state.cardEvents.map(({ action, userIds, via }) => [action, userIds, via]),
			).toEqual([
				['show', [1, 2], 'show'],
				['hide', ['2', '3'], 'hide'],
				['show', [1], 'show'],
				['hide', [2], 'hide'],
			]);
		});

		it('return false, not an error, for unknown or finished calls', async () => {
			const callId = await register();
			await call('finish', { CALL_ID: callId, USER_ID: 1 });
			for (const method of ['show', 'hide']) {
				const response = await call(method, { CALL_ID: callId });
				expect(response.status).toBe(200);
				expect(response.data.result).toBe(false);
			}
			expect((await call('show', {})).data.result).toBe(false);
		});
	});
});
