import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });
const REGISTER = 'telephony.externalcall.register?USER_ID=1&PHONE_NUMBER=%2B4915112345678&TYPE=2';

describe('batch', () => {
	let sandbox: Sandbox;
	const batch = (body: unknown, base?: string) =>
		http.post(`${base ?? sandbox.webhookUrl}batch.json`, body);

	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	it('runs a cmd map with $result references and returns per-command maps', async () => {
		const response = await batch({
			halt: 0,
			cmd: {
				reg: `${REGISTER}&SHOW=0&EXTERNAL_CALL_ID=ast-1.2`,
				show: 'telephony.externalcall.show?CALL_ID=$result[reg][CALL_ID]&USER_ID[]=1&USER_ID[]=2',
				bad: 'telephony.externalcall.register?USER_ID=1&PHONE_NUMBER=1&TYPE=9',
			},
		});
		expect(response.status).toBe(200);
		const { result, time } = response.data;
		expect(time).toBeDefined();
		expect(result.result).toEqual({
			reg: {
				CALL_ID: expect.stringMatching(/^externalCall\./),
				CRM_CREATED_LEAD: null,
				CRM_CREATED_ENTITIES: [],
				CRM_ENTITY_TYPE: 'CONTACT',
				CRM_ENTITY_ID: 797,
			},
			show: true,
		});
		expect(result.result_error).toEqual({ bad: { error: '', error_description: 'Unknown TYPE' } });
		expect(Object.keys(result.result_time)).toEqual(['reg', 'show']);
		expect(result.result_time.reg).toEqual(
			expect.objectContaining({ start: expect.any(Number), date_start: expect.any(String) }),
		);
		expect(result.result_total).toEqual([]);
		expect(result.result_next).toEqual([]);
		expect(sandbox.state.cardEvents).toEqual([
			expect.objectContaining({ userIds: ['1', '2'], via: 'show' }),
		]);
		expect(sandbox.requests).toHaveLength(1);
		expect(sandbox.requests[0].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.show',
			'telephony.externalcall.register',
		]);
	});

	it('returns a JSON array for a list of commands that all succeed, an object otherwise', async () => {
		const allOk = await batch({ cmd: ['profile', 'crm.status.list?filter[ENTITY_ID]=SOURCE'] });
		expect(Array.isArray(allOk.data.result.result)).toBe(true);
		expect(allOk.data.result.result_total).toEqual({ 1: 5 });
		expect(allOk.data.result.result_error).toEqual([]);

		const oneFails = await batch({ cmd: ['profile', 'no.such.method', 'profile'] });
		expect(oneFails.data.result.result).toEqual({ 0: expect.any(Object), 2: expect.any(Object) });
		expect(oneFails.data.result.result_error).toEqual({
			1: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
		});
	});

	it('reports result_total and result_next of list methods', async () => {
		for (let id = 10; id < 70; id++) sandbox.state.users.push({ ...sandbox.state.users[1], id });
		const response = await batch({ cmd: { users: 'user.get', more: 'user.get?start=50' } });
		expect(response.data.result.result_total).toEqual({ users: 64, more: 64 });
		expect(response.data.result.result_next).toEqual({ users: 50 });
	});

	it('substitutes references like CRestUtil::processBatchElement', async () => {
		const ext = (suffix: string) =>
			`${REGISTER.replace('%2B4915112345678', `%2B49170${suffix}`)}&EXTERNAL_CALL_ID=`;
		await batch({
			cmd: {
				reg: `${REGISTER}&EXTERNAL_CALL_ID=first`,
				prefixed: `${ext('1')}pre-$result[reg][CALL_ID]`,
				trailing: `${ext('2')}$result[reg][CALL_ID]-tail`,
				deepest: `${ext('3')}$result[reg][NOPE]`,
				literal: `${ext('4')}$other[reg][CALL_ID]`,
				offset: `${ext('5')}$result[reg][CALL_ID][0]`,
				dup: 'crm.duplicate.findbycomm?type=PHONE&values[]=%2B4915112345678',
				raw: 'telephony.externalcall.show?CALL_ID=$result[reg][CALL_ID]&USER_ID=$result[dup][CONTACT]',
			},
		});
		const [reg, ...others] = sandbox.state.activeCalls;
		expect(others.map((call) => call.externalCallId)).toEqual([
			`pre-${reg.callId}`,
			reg.callId,
			'Array',
			'$other[reg][CALL_ID]',
			'e',
		]);
		expect(sandbox.state.cardEvents.at(-1)).toMatchObject({ via: 'show', userIds: [797] });
	});

	it('stops at the first error with halt, and "false" counts as true', async () => {
		for (const halt of [1, 'false']) {
			const response = await batch({ halt, cmd: { a: 'profile', b: 'no.method', c: 'profile' } });
			expect(Object.keys(response.data.result.result)).toEqual(['a']);
			expect(Object.keys(response.data.result.result_error)).toEqual(['b']);
		}
		const noHalt = await batch({ halt: '0', cmd: { a: 'profile', b: 'no.method', c: 'profile' } });
		expect(Object.keys(noHalt.data.result.result)).toEqual(['a', 'c']);
	});

	it('allows 50 commands and reports ERROR_BATCH_LENGTH_EXCEEDED beyond', async () => {
		const cmd = Object.fromEntries(Array.from({ length: 52 }, (_, i) => [`c${i}`, 'profile']));
		const response = await batch({ cmd });
		expect(Object.keys(response.data.result.result)).toHaveLength(50);
		expect(response.data.result.result_error).toEqual({
			c50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
			c51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
		});
	});

	it('skips non-string commands silently but counts them', async () => {
		const cmd: unknown[] = Array.from({ length: 50 }, () => 5);
		cmd.push('profile');
		const response = await batch({ cmd: { skipped: 5, nested: { a: 'profile' }, ok: 'profile' } });
		expect(response.data.result.result).toEqual({ ok: expect.any(Object) });
		const counted = await batch({ cmd });
		expect(counted.data.result.result_error).toEqual({
			50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
		});
	});

	it('refuses batch, upload and download inside a batch', async () => {
		const response = await batch({
			cmd: { inner: 'batch?cmd[a]=profile', up: 'upload?token=x', down: 'download' },
		});
		for (const key of ['inner', 'up', 'down']) {
			expect(response.data.result.result_error[key]).toEqual({
				error: 'ERROR_BATCH_METHOD_NOT_ALLOWED',
				error_description: 'Method is not allowed for batch usage',
			});
		}
	});

	it('checks auth type and scope per command', async () => {
		const crmOnly = sandbox.addWebhook({ userId: 1, code: 'crmonly', scopes: ['crm'] });
		const response = await batch(
			{ cmd: { tel: REGISTER, crm: 'crm.status.list', events: 'event.get' } },
			crmOnly,
		);
		expect(response.status).toBe(200);
		expect(response.data.result.result_error).toEqual({
			tel: { error: 'insufficient_scope', error_description: '' },
			events: {
				error: 'WRONG_AUTH_TYPE',
				error_description: 'Current authorization type is denied for this method',
			},
		});
		expect(Object.keys(response.data.result.result)).toEqual(['crm']);
	});

	it('accepts double-encoded commands in a form body', async () => {
		const body = `halt=0&cmd%5Breg%5D=${encodeURIComponent(REGISTER)}&cmd%5Bp%5D=profile`;
		const response = await http.post(`${sandbox.webhookUrl}batch`, body, {
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		});
		expect(response.data.result.result.reg.CRM_ENTITY_ID).toBe(797);
		expect(sandbox.state.activeCalls[0].phoneNumber).toBe('+4915112345678');
	});

	it('returns empty maps as [] when there is no cmd', async () => {
		const response = await batch({});
		expect(response.data.result).toEqual({
			result: [],
			result_error: [],
			result_total: [],
			result_next: [],
			result_time: [],
		});
	});
});
