/**
 * The fields a user expects, run through the engine against the sandbox: External Call ID at the
 * top (and where older workflows keep it), Line Number picked or typed, the Show/Hide Card user
 * picker of version 1.1, Simplify, the no-match item of Search CRM Entities, and Attach
 * Transcription without made-up text.
 */
import { callSteps } from '../../../../helpers/callSteps';
import { REGISTER_PARAMETERS } from '../../../../helpers/fixtures';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

const register = (parameters: Record<string, unknown>, typeVersion?: number) =>
	steps.run({ ...REGISTER_PARAMETERS, ...parameters }, typeVersion ? { typeVersion } : {});

describe('External Call ID at the top of Register', () => {
	test('is sent as EXTERNAL_CALL_ID', async () => {
		const result = await register({ externalCallId: 'top-1' });
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toMatchObject({ EXTERNAL_CALL_ID: 'top-1' });
	});

	test('a workflow saved with it in Additional Fields keeps sending it', async () => {
		await register({ additionalFields: { externalCallId: 'legacy-1' } });
		expect(portal().requests[0].params).toMatchObject({ EXTERNAL_CALL_ID: 'legacy-1' });
	});

	test('when both are set, the one at the top wins', async () => {
		await register({ externalCallId: 'top-2', additionalFields: { externalCallId: 'legacy-2' } });
		expect(portal().requests[0].params).toMatchObject({ EXTERNAL_CALL_ID: 'top-2' });
	});

	test('Log Completed Call has it at the top too', async () => {
		const result = await steps.run({
			...REGISTER_PARAMETERS,
			operation: 'logCompletedCall',
			externalCallId: 'cdr-top-1',
			duration: 10,
			statusCode: '200',
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].batchCommands).toContain('telephony.externalcall.register');
		expect(JSON.stringify(portal().requests[0].params)).toContain('&EXTERNAL_CALL_ID=cdr-top-1&');
	});
});

describe('Line Number: from the list or by number', () => {
	test('a line picked from the list (resource locator) is sent as LINE_NUMBER', async () => {
		await register({
			externalCallId: 'line-list-1',
			additionalFields: { lineNumber: { __rl: true, mode: 'list', value: '+493000000' } },
		});
		expect(portal().requests[0].params).toMatchObject({ LINE_NUMBER: '+493000000' });
	});

	test('typed by number, or a plain string as older workflows saved it', async () => {
		await register({
			externalCallId: 'line-num-1',
			additionalFields: { lineNumber: { __rl: true, mode: 'number', value: '+493000000' } },
		});
		await register({
			externalCallId: 'line-str-1',
			additionalFields: { lineNumber: '+493000000' },
		});
		expect(portal().requests.map((r) => r.params.LINE_NUMBER)).toEqual([
			'+493000000',
			'+493000000',
		]);
	});

	test('Line → Update and Delete take the picked line', async () => {
		const run = (parameters: Record<string, unknown>) =>
			steps.run({ resource: 'line', ...parameters });
		await run({ operation: 'create', number: '+4989123000', name: 'Munich' });
		const picked = { __rl: true, mode: 'list', value: '+4989123000' };
		const updated = await run({ operation: 'update', number: picked, updateFields: { name: 'M' } });
		expect(updated.status).toBe('success');
		const deleted = await run({ operation: 'delete', number: picked });
		expect(deleted.items[0].json).toEqual({ deleted: true, NUMBER: '+4989123000' });
	});
});

describe('Show/Hide Card users (version 1.1: a multi-select user picker)', () => {
	test('the picked users (IDs as the picker gives them) are sent as USER_ID', async () => {
		const callId = await steps.register({ additionalFields: { show: false } });
		portal().clearRequests();
		const result = await steps.run(
			{ operation: 'show', callId, userIds: ['1', '2', '3'] },
			{ typeVersion: 1.1 },
		);
		expect(result.items[0].json).toMatchObject({ success: true, userIds: [1, 2, 3] });
		expect(portal().requests[0].params).toMatchObject({ USER_ID: [1, 2, 3] });
	});

	test('a comma list from an expression is still accepted', async () => {
		const callId = await steps.register({ additionalFields: { show: false } });
		portal().clearRequests();
		const result = await steps.run(
			{ operation: 'hide', callId, userIds: '={{ $json.others }}' },
			{ typeVersion: 1.1, items: [{ others: '2, 3' }] },
		);
		expect(result.items[0].json).toMatchObject({ success: true, userIds: [2, 3] });
	});
});

describe('Simplify (Register and Finish)', () => {
	test('a new node (version 1.1) returns the handful of fields, without Bitrix24 keys', async () => {
		const result = await register({ externalCallId: 'simple-1' }, 1.1);
		const json = result.items[0].json;
		expect(json).toMatchObject({
			callId: expect.stringMatching(/^externalCall\./),
			phoneNumber: '+4915112345678',
			direction: 'incoming',
			userPhoneInner: '101',
			externalCallId: 'simple-1',
			leadCreated: false,
		});
		expect(json.CALL_ID).toBeUndefined();

		const finished = await steps.finish(
			String(json.callId),
			{ duration: 42, statusCode: '200' },
			{ typeVersion: 1.1 },
		);
		expect(finished.items[0].json).toMatchObject({
			callId: json.callId,
			answered: true,
			missed: false,
			status: 'answered',
			durationSeconds: 42,
		});
		expect(finished.items[0].json.CALL_DURATION).toBeUndefined();
	});

	test('a workflow saved before the option (version 1, no value) keeps the full result', async () => {
		const result = await register({ externalCallId: 'full-1' });
		expect(result.items[0].json).toMatchObject({
			CALL_ID: expect.any(String),
			call: expect.any(Object),
		});
	});

	test("off in version 1.1 returns Bitrix24's result unchanged", async () => {
		const result = await register({ externalCallId: 'full-2', simplify: false }, 1.1);
		expect(result.items[0].json.CALL_ID).toEqual(expect.any(String));
		expect(result.items[0].json.CRM_CREATED_LEAD).not.toBeUndefined();
	});
});

describe('Search CRM Entities: an item when nothing matches', () => {
	test('off (default): no item, as before', async () => {
		const result = await steps.run({ operation: 'searchCrmEntities', phoneNumber: '+10000000000' });
		expect(result.items).toEqual([]);
	});

	test('on: one { found: false, phoneNumber } item, so the routing goes on', async () => {
		const result = await steps.run({
			operation: 'searchCrmEntities',
			phoneNumber: '+10000000000',
			options: { outputNotFound: true },
		});
		expect(result.items.map((i) => i.json)).toEqual([
			{ found: false, phoneNumber: '+10000000000' },
		]);
	});

	test('a match is marked found: true', async () => {
		const result = await steps.run({
			operation: 'searchCrmEntities',
			phoneNumber: '+4915112345678',
			options: { outputNotFound: true },
		});
		expect(result.items.length).toBeGreaterThan(0);
		expect(result.items.every((i) => i.json.found === true)).toBe(true);
	});
});

describe('Attach Transcription has no sample text', () => {
	test('left as it comes (empty), it sends nothing and says what to map', async () => {
		const callId = await steps.register();
		await steps.finish(callId, { duration: 5, statusCode: '200' });
		portal().clearRequests();
		const result = await steps.run({ operation: 'attachTranscription', callId });
		expect(result.error?.message).toBe("'Messages' is empty [item 0]");
		expect(result.error?.description).toContain('speech-to-text');
		expect(restMethods(portal())).toEqual([]);
	});
});
