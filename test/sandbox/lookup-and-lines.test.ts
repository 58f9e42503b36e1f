/**
 * The sandbox's lookups (users, CRM sources, searchCrmEntities) and external lines. One file
 * over 250 lines: every case reads the same seeded portal, one describe per method.
 */
import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });

describe('lookups and external lines', () => {
	let sandbox: Sandbox;
	const call = (method: string, params: unknown = {}, base?: string) =>
		http.post(`${base ?? sandbox.webhookUrl}${method}.json`, params);

	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	describe('telephony.externalcall.searchcrmentities', () => {
		it('finds entities by normalized phone with the responsible user', async () => {
			sandbox.state.leads.push({
				id: 1300,
				name: 'Lead twin',
				phones: ['+4915112345678'],
				emails: [],
				assignedById: 3,
				sourceId: null,
				createdByCallId: null,
			});
			const response = await call('telephony.externalcall.searchcrmentities', {
				PHONE_NUMBER: '004915112345678',
			});
			expect(response.data.result).toEqual([
				{
					CRM_ENTITY_TYPE: 'CONTACT',
					CRM_ENTITY_ID: 797,
					ASSIGNED_BY_ID: 2,
					NAME: 'ACME Support',
					ASSIGNED_BY: {
						ID: '2',
						TIMEMAN_STATUS: 'CLOSED',
						USER_PHONE_INNER: '102',
						WORK_PHONE: null,
						PERSONAL_PHONE: null,
						PERSONAL_MOBILE: null,
					},
				},
				expect.objectContaining({
					CRM_ENTITY_TYPE: 'LEAD',
					CRM_ENTITY_ID: 1300,
					ASSIGNED_BY: expect.objectContaining({ USER_PHONE_INNER: '103' }),
				}),
			]);
		});

		it('returns [] when nothing matches and an error for an empty number', async () => {
			expect(
				(await call('telephony.externalcall.searchcrmentities', { PHONE_NUMBER: '+10000000000' }))
					.data.result,
			).toEqual([]);
			expect((await call('telephony.externalcall.searchcrmentities', {})).data).toEqual({
				error: '',
				error_description: 'PHONE_NUMBER is empty',
			});
		});
	});

	describe('telephony.externalline.*', () => {
		it('adds, updates, lists and deletes with the documented result quirks', async () => {
			const added = await call('telephony.externalline.add', {
				NUMBER: ' +4940123 ',
				NAME: 'Hamburg',
			});
			expect(added.data.result).toEqual({ ID: expect.any(Number) });
			const updated = await call('telephony.externalline.update', {
				NUMBER: '+4940123',
				CRM_AUTO_CREATE: 'y',
			});
			expect(updated.data.result).toEqual({ ID: String(added.data.result.ID) });
			expect((await call('telephony.externalline.get')).data.result).toEqual([
				{ NUMBER: '+493000000', NAME: 'Main line', CRM_AUTO_CREATE: 'Y' },
				{ NUMBER: '+4940123', NAME: 'Hamburg', CRM_AUTO_CREATE: 'N' },
			]);
			expect(
				(await call('telephony.externalline.delete', { NUMBER: '+4940123' })).data.result,
			).toEqual([]);
			expect((await call('telephony.externalline.get')).data.result).toHaveLength(1);
		});

		it('reports the documented errors', async () => {
			const error = async (method: string, params: Record<string, unknown>) =>
				(await call(`telephony.externalline.${method}`, params)).data.error_description;
			expect(await error('add', { NUMBER: '  ' })).toBe('NUMBER should not be empty');
			expect(await error('add', { NUMBER: '+493000000' })).toBe('Line already exists');
			expect(await error('update', { NUMBER: '+493000000' })).toBe('There are no fields to update');
			expect(await error('update', { NAME: 'x' })).toBe('NUMBER should not be empty');
			expect(await error('update', { NUMBER: '+111', NAME: 'x' })).toBe(
				'Could not find line with number +111',
			);
			expect(await error('delete', { NUMBER: '+111' })).toBe(
				'Could not find line with number +111',
			);
		});

		it('keeps lines per app: webhook lines are the "no app" set', async () => {
			sandbox.oauth.registerApp({ clientId: 'local.lines', clientSecret: 's' });
			const { access_token: token } = sandbox.oauth.issueTokens('local.lines');
			const app = `${sandbox.url}/rest/`;
			expect(
				(await http.post(`${app}telephony.externalline.get?auth=${token}`)).data.result,
			).toEqual([]);
			expect(
				(
					await http.post(`${app}telephony.externalline.add?auth=${token}`, {
						NUMBER: '+493000000',
						CRM_AUTO_CREATE: 'N',
					})
				).status,
			).toBe(200);
			expect(sandbox.state.lines.map((line) => [line.number, line.appId])).toEqual([
				['+493000000', null],
				['+493000000', 1],
			]);
		});

		it('refuses webhooks in "doc" auth mode', async () => {
			sandbox.configure({ authTypeMode: 'doc' });
			expect((await call('telephony.externalline.get')).data.error).toBe('WRONG_AUTH_TYPE');
		});
	});

	describe('user.get and user.search', () => {
		it('finds users by extension with string IDs and select', async () => {
			const response = await call('user.get', {
				FILTER: { UF_PHONE_INNER: '102', ACTIVE: true },
				select: ['ID', 'NAME', 'LAST_NAME', 'UF_PHONE_INNER'],
			});
			expect(response.data).toMatchObject({
				result: [{ ID: '2', NAME: 'Boris', LAST_NAME: 'Ivanov', UF_PHONE_INNER: '102' }],
				total: 1,
			});
			expect(response.data.next).toBeUndefined();
		});

		it('filters by ACTIVE, ID and name prefixes, and hides bots', async () => {
			const ids = async (params: Record<string, unknown>) =>
				(await call('user.get', params)).data.result.map((user: { ID: string }) => user.ID);
			expect(await ids({})).toEqual(['1', '2', '3', '4']);
			expect(await ids({ FILTER: { ACTIVE: false } })).toEqual(['4']);
			expect(await ids({ FILTER: { ACTIVE: 'Y' } })).toEqual(['1', '2', '3']);
			expect(await ids({ filter: { '%LAST_NAME': 'ov' } })).toEqual(['2']);
			expect(await ids({ FILTER: { '@ID': [1, 3] } })).toEqual(['1', '3']);
			expect(await ids({ ID: '3' })).toEqual(['3']);
			expect(await ids({ sort: 'UF_PHONE_INNER', order: 'DESC' })).toEqual(['4', '3', '2', '1']);
		});

		it('pages by 50 with total and next', async () => {
			for (let id = 10; id < 70; id++) {
				sandbox.state.users.push({ ...sandbox.state.users[1], id, phoneInner: String(200 + id) });
			}
			const first = await call('user.get');
			expect(first.data).toMatchObject({ total: 64, next: 50 });
			expect(first.data.result).toHaveLength(50);
			const second = await call('user.get', { start: 50 });
			expect(second.data.result).toHaveLength(14);
			expect(second.data).toMatchObject({ total: 64 });
			expect(second.data.next).toBeUndefined();
		});

		it('user.search matches FIND against names', async () => {
			const response = await call('user.search', { FILTER: { FIND: 'chen' } });
			expect(response.data.result.map((user: { ID: string }) => user.ID)).toEqual(['3']);
		});
	});

	describe('CRM dictionaries', () => {
		it('crm.status.list filters sources by ENTITY_ID', async () => {
			const response = await call('crm.status.list', {
				filter: { ENTITY_ID: 'SOURCE' },
				order: { SORT: 'ASC' },
			});
			expect(response.data.result.map((status: { STATUS_ID: string }) => status.STATUS_ID)).toEqual(
				['CALL', 'EMAIL', 'WEB', 'ADVERTISING', 'OTHER'],
			);
			expect(response.data.result[0]).toEqual(
				expect.objectContaining({
					ID: '17',
					ENTITY_ID: 'SOURCE',
					NAME: 'Call',
					SORT: '10',
					EXTRA: [],
				}),
			);
			expect(response.data.total).toBe(5);
			expect(
				(await call('crm.status.list', { filter: { ENTITY_ID: 'STATUS' } })).data.result,
			).toEqual([]);
		});

		it('crm.duplicate.findbycomm groups ids by type, [] when none', async () => {
			expect(
				(
					await call('crm.duplicate.findbycomm', {
						type: 'PHONE',
						values: ['+4915112345678', '+79062195047'],
					})
				).data.result,
			).toEqual({
				LEAD: [1201],
				CONTACT: [797],
			});
			expect(
				(
					await call('crm.duplicate.findbycomm', {
						type: 'PHONE',
						values: ['+4915112345678'],
						entity_type: 'LEAD',
					})
				).data.result,
			).toEqual([]);
			expect((await call('crm.duplicate.findbycomm', { type: 'PHONE' })).data).toEqual({
				error: 'Communication values is not defined',
				error_description: "Parameter 'values' is required.",
			});
			expect((await call('crm.duplicate.findbycomm', { values: ['1'] })).data.error).toBe(
				'Communication type is not defined',
			);
			expect(
				(await call('crm.duplicate.findbycomm', { type: 'FAX', values: ['1'] })).data.error,
			).toBe("Communication type 'FAX' is not supported in current context");
		});
	});

	describe('profile and app.info', () => {
		it('answers app.info for webhooks with their scopes and for apps with the app', async () => {
			expect((await call('app.info')).data.result).toEqual({
				SCOPE: ['telephony', 'crm', 'user'],
				LICENSE: 'en_project',
			});
			const app = sandbox.oauth.registerApp({
				clientId: 'local.info',
				clientSecret: 's',
				scopes: ['telephony'],
			});
			const { access_token: token } = sandbox.oauth.issueTokens('local.info', { userId: 2 });
			const info = await http.get(`${sandbox.url}/rest/app.info`, {
				headers: { Authorization: `Bearer ${token}` },
			});
			expect(info.data.result).toMatchObject({
				ID: app.id,
				CODE: 'local.info',
				STATUS: 'L',
				INSTALLED: true,
			});
			const profile = await http.get(`${sandbox.url}/rest/profile?auth=${token}`);
			expect(profile.data.result).toEqual({
				ID: '2',
				ADMIN: false,
				NAME: 'Boris',
				LAST_NAME: 'Ivanov',
				PERSONAL_GENDER: '',
				TIME_ZONE: '',
			});
		});
	});
});
