/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * OnVoximplantCallInit on register and OnVoximplantCallEnd on finish (docs/bitrix24-fidelity.md
 * rows 46–47), to outbound webhooks and bound applications alike, and voximplant.statistic.get
 * agreeing with the event and serving the cursors a polling trigger uses (row 48).
 */
import axios from 'axios';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });

describe('call events', () => {
	let sandbox: Sandbox;
	let hook: http.Server;
	let hookUrl: string;
	const bodies: URLSearchParams[] = [];
	const call = (method: string, params: unknown) =>
		client.post(`${sandbox.webhookUrl}${method}.json`, params);

	beforeAll(async () => {
		hook = http.createServer((req, res) => {
			let text = '';
			req.on('data', (chunk: Buffer) => (text += chunk.toString()));
			req.on('end', () => {
				bodies.push(new URLSearchParams(text));
				res.end('ok');
			});
		});
		await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', () => resolve()));
		hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
	});
	afterAll(() => new Promise<void>((resolve) => hook.close(() => resolve())));
	beforeEach(async () => {
		bodies.length = 0;
		sandbox = await startSandbox({ now: () => Date.parse('2026-12-07T09:00:00Z') });
	});
	afterEach(() => sandbox.close());

	it('an outbound webhook gets ONVOXIMPLANTCALLINIT and ONVOXIMPLANTCALLEND with the documented fields', async () => {
		const { applicationToken } = sandbox.events.addOutboundWebhook({
			url: hookUrl,
			events: ['OnVoximplantCallInit', 'OnVoximplantCallEnd'],
		});
		const registered = await call('telephony.externalcall.register', {
			USER_ID: 1,
			PHONE_NUMBER: '+49 151 123-45-678',
			TYPE: 2,
			CALL_START_DATE: '2026-12-07T09:58:00+01:00',
		});
		const callId = registered.data.result.CALL_ID as string;
		const finished = await call('telephony.externalcall.finish', {
			CALL_ID: callId,
			USER_ID: 1,
			DURATION: 42,
			COST: 0.5,
			COST_CURRENCY: 'EUR',
			STATUS_CODE: '200',
		});
		const deliveries = await sandbox.events.settled();
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		const [init, end] = bodies;
		expect(init.get('event')).toBe('ONVOXIMPLANTCALLINIT');
		expect(dataOf(init)).toEqual({
			CALL_ID: callId,
			CALL_TYPE: '2',
			CALLER_ID: '+4915112345678',
			REST_APP_ID: undefined,
		});
		expect(end.get('event')).toBe('ONVOXIMPLANTCALLEND');
		expect(dataOf(end)).toEqual({
			CALL_ID: callId,
			CALL_TYPE: '2',
			PHONE_NUMBER: '+4915112345678',
			PORTAL_NUMBER: expect.any(String),
			PORTAL_USER_ID: '1',
			CALL_DURATION: '42',
			CALL_START_DATE: '2026-12-07T09:58:00+01:00',
			COST: '0.5',
			COST_CURRENCY: 'EUR',
			CALL_FAILED_CODE: '200',
			CALL_FAILED_REASON: '',
			CRM_ACTIVITY_ID: String(finished.data.result.CRM_ACTIVITY_ID),
		});
		expect(end.get('auth[application_token]')).toBe(applicationToken);

		// The statistics row that polling reads says the same.
		const history = await call('voximplant.statistic.get', { FILTER: { CALL_ID: callId } });
		expect(history.data.result[0]).toMatchObject({
			CALL_ID: callId,
			PHONE_NUMBER: '+4915112345678',
			CALL_DURATION: '42',
			CALL_START_DATE: '2026-12-07T09:58:00+01:00',
			CALL_FAILED_CODE: '200',
			CALL_TYPE: '2',
			COST_CURRENCY: 'EUR',
		});
	});

	it('a deduplicated register still announces a fresh CALL_ID it does not return', async () => {
		sandbox.events.addOutboundWebhook({ url: hookUrl, events: ['ONVOXIMPLANTCALLINIT'] });
		const params = { USER_ID: 1, PHONE_NUMBER: '+4930123', TYPE: 2, EXTERNAL_CALL_ID: 'same' };
		const first = await call('telephony.externalcall.register', params);
		const again = await call('telephony.externalcall.register', params);
		await sandbox.events.settled();
		expect(again.data.result.CALL_ID).toBe(first.data.result.CALL_ID);
		const announced = bodies.map((body) => body.get('data[CALL_ID]'));
		expect(announced).toHaveLength(2);
		expect(announced[0]).toBe(first.data.result.CALL_ID);
		expect(announced[1]).not.toBe(first.data.result.CALL_ID);
	});

	it('an application may bind them with event.bind under the telephony scope', async () => {
		sandbox.oauth.registerApp({
			clientId: 'local.pbx',
			clientSecret: 'pbxsecret',
			scopes: ['telephony'],
		});
		const { access_token: token } = sandbox.oauth.issueTokens('local.pbx');
		const bound = await client.post(`${sandbox.url}/rest/event.bind.json`, {
			auth: token,
			event: 'OnVoximplantCallEnd',
			handler: hookUrl,
		});
		expect(bound.data.result).toBe(true);
		const registered = await call('telephony.externalcall.register', {
			USER_ID: 1,
			PHONE_NUMBER: '+4930999',
			TYPE: 1,
		});
		await call('telephony.externalcall.finish', {
			CALL_ID: registered.data.result.CALL_ID,
			USER_ID: 1,
			DURATION: 0,
		});
		await sandbox.events.settled();
		expect(bodies.map((body) => body.get('event'))).toEqual(['ONVOXIMPLANTCALLEND']);
		expect(bodies[0].get('data[CALL_FAILED_CODE]')).toBe('304');
		expect(bodies[0].get('auth[access_token]')).toEqual(expect.any(String));
	});

	it('voximplant.statistic.get serves `>ID` and `>=CALL_START_DATE` cursors with SORT/ORDER and pages', async () => {
		for (let i = 0; i < 60; i++) {
			const registered = await call('telephony.externalcall.register', {
				USER_ID: 1,
				PHONE_NUMBER: `+4930${1000 + i}`,
				TYPE: i % 2 === 0 ? 2 : 1,
				CALL_START_DATE: `2026-12-07T08:${String(i % 60).padStart(2, '0')}:00+01:00`,
			});
			await call('telephony.externalcall.finish', {
				CALL_ID: registered.data.result.CALL_ID,
				USER_ID: 1,
				DURATION: i,
			});
		}
		const first = await call('voximplant.statistic.get', { SORT: 'ID', ORDER: 'ASC' });
		expect(first.data.result).toHaveLength(50);
		expect(first.data).toMatchObject({ total: 60, next: 50 });
		const lastId = first.data.result[49].ID as string;
		const after = await call('voximplant.statistic.get', {
			FILTER: { '>ID': lastId },
			SORT: 'ID',
			ORDER: 'ASC',
		});
		expect(after.data.result.map((row: { ID: string }) => Number(row.ID))).toEqual(
			Array.from({ length: 10 }, (_, i) => Number(lastId) + 1 + i),
		);
		const since = await call('voximplant.statistic.get', {
			FILTER: { '>=CALL_START_DATE': '2026-12-07T08:55:00+01:00', CALL_TYPE: 2 },
			SORT: 'CALL_START_DATE',
			ORDER: 'DESC',
		});
		expect(
			since.data.result.map((row: { CALL_START_DATE: string }) => row.CALL_START_DATE),
		).toEqual(['2026-12-07T08:58:00+01:00', '2026-12-07T08:56:00+01:00']);
	});
});

/** data[...] keys of a form body as a plain object (undefined for a key sent without value). */
function dataOf(body: URLSearchParams): Record<string, string | undefined> {
	const data: Record<string, string | undefined> = {};
	for (const [key, value] of body) {
		const match = /^data\[([^\]]+)\]$/.exec(key);
		if (match) data[match[1]] = value;
	}
	if (!body.has('data[REST_APP_ID]') && body.get('event') === 'ONVOXIMPLANTCALLINIT')
		data.REST_APP_ID = undefined;
	return data;
}
