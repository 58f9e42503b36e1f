/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Sandbox behaviours checked against the current Bitrix24 docs (docs/bitrix24-fidelity.md):
 * the cloud's refusal of non-public RECORD_URLs and the voximplant.statistic.get list.
 */
import axios from 'axios';
import * as http from 'http';
import type { AddressInfo } from 'net';

import { Sandbox, startSandbox } from '../../sandbox';
import { isNonPublicAddress, NON_PUBLIC_RECORD_URL } from '../../sandbox/methods/record-url-policy';

const client = axios.create({ validateStatus: () => true });

describe('sandbox fidelity to the current docs', () => {
	let sandbox: Sandbox;
	const call = (method: string, params: unknown) =>
		client.post(`${sandbox.webhookUrl}${method}.json`, params);

	async function finishedCall(fields: Record<string, unknown>, finish: Record<string, unknown>) {
		const registered = await call('telephony.externalcall.register', {
			USER_ID: 1,
			TYPE: 2,
			...fields,
		});
		const callId = registered.data.result.CALL_ID as string;
		await call('telephony.externalcall.finish', { CALL_ID: callId, USER_ID: 1, ...finish });
		return callId;
	}

	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	describe('attachRecord with a RECORD_URL on a non-public address', () => {
		let files: http.Server;
		let filesUrl: string;
		beforeAll(async () => {
			files = http.createServer((_req, res) => res.writeHead(200).end(Buffer.concat([Buffer.from('ID3'), Buffer.alloc(61, 0)])));
			await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', () => resolve()));
			filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
		});
		afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));

		it("is refused, without downloading, when the portal is in 'publicOnly' mode", async () => {
			sandbox.configure({ recordUrlPolicy: 'publicOnly' });
			const callId = await finishedCall({ PHONE_NUMBER: '+4915112345678' }, { DURATION: 5 });
			for (const url of [`${filesUrl}/a.mp3`, `http://localhost:1/a.mp3`]) {
				const response = await call('telephony.externalcall.attachrecord', {
					CALL_ID: callId,
					RECORD_URL: url,
				});
				expect(response.status).toBe(400);
				expect(response.data).toEqual({ error: '', error_description: NON_PUBLIC_RECORD_URL });
			}
			expect(sandbox.state.records).toEqual([]);
		});

		it('is downloaded in the default mode (self-hosted portals, older cloud)', async () => {
			const callId = await finishedCall({ PHONE_NUMBER: '+4915112345678' }, { DURATION: 5 });
			const response = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				RECORD_URL: `${filesUrl}/a.mp3`,
			});
			expect(response.status).toBe(200);
			expect(typeof response.data.result.FILE_ID).toBe('number');
		});

		it.each([
			['127.0.0.1', true],
			['10.20.30.40', true],
			['172.31.255.1', true],
			['172.32.0.1', false],
			['192.168.1.10', true],
			['169.254.169.254', true],
			['100.64.0.1', true],
			['8.8.8.8', false],
			['::1', true],
			['fd00::1', true],
			['::ffff:192.168.0.1', true],
			['2a00:1450:4001::200e', false],
		])('%s is non-public: %s', (address, expected) => {
			expect(isNonPublicAddress(address)).toBe(expected);
		});
	});

	describe('voximplant.statistic.get', () => {
		it('lists finished calls with FILTER operators, SORT/ORDER and the documented row shape', async () => {
			const a = await finishedCall(
				{ PHONE_NUMBER: '+4915100000001', CALL_START_DATE: '2026-11-01T10:00:00+01:00' },
				{ DURATION: 12, VOTE: 4 },
			);
			const b = await finishedCall(
				{
					PHONE_NUMBER: '+4915100000002',
					CALL_START_DATE: '2026-11-02T10:00:00+01:00',
					EXTERNAL_CALL_ID: 'pbx-b',
					TYPE: 1,
				},
				{ DURATION: 0 },
			);
			// Still active: not in the statistics.
			await call('telephony.externalcall.register', {
				USER_ID: 1,
				TYPE: 2,
				PHONE_NUMBER: '+4915100000003',
			});

			const all = await call('voximplant.statistic.get', {
				SORT: 'CALL_START_DATE',
				ORDER: 'DESC',
			});
			expect(all.status).toBe(200);
			expect(all.data.total).toBe(2);
			expect(all.data.next).toBeUndefined();
			expect(all.data.result.map((row: { CALL_ID: string }) => row.CALL_ID)).toEqual([b, a]);
			expect(all.data.result[1]).toMatchObject({
				CALL_ID: a,
				PORTAL_USER_ID: '1',
				PHONE_NUMBER: '+4915100000001',
				CALL_DURATION: '12',
				CALL_VOTE: '4',
				CALL_TYPE: '2',
				CALL_FAILED_CODE: '200',
				CALL_CATEGORY: 'external',
				COST: '0.0000',
				EXTERNAL_CALL_ID: null,
				RECORD_FILE_ID: null,
			});
			expect(new Date(all.data.result[1].CALL_START_DATE).toISOString()).toBe(
				'2026-11-01T09:00:00.000Z',
			);

			const filtered = async (FILTER: Record<string, unknown>) =>
				(await call('voximplant.statistic.get', { FILTER })).data.result.map(
					(row: { CALL_ID: string }) => row.CALL_ID,
				);
			expect(await filtered({ EXTERNAL_CALL_ID: 'pbx-b' })).toEqual([b]);
			expect(await filtered({ CALL_TYPE: 1 })).toEqual([b]);
			expect(await filtered({ CALL_FAILED_CODE: '304' })).toEqual([b]);
			expect(await filtered({ '>=CALL_START_DATE': '2026-11-02T00:00:00+01:00' })).toEqual([b]);
			expect(await filtered({ '<CALL_START_DATE': '2026-11-02T00:00:00Z' })).toEqual([a]);
			expect(
				await filtered({
					'><CALL_START_DATE': ['2026-11-01T00:00:00Z', '2026-11-01T23:59:59Z'],
				}),
			).toEqual([a]);
			expect(await filtered({ '%PHONE_NUMBER': '00000002' })).toEqual([b]);
			expect(await filtered({ '!PORTAL_USER_ID': 1 })).toEqual([]);
			expect(await filtered({ '?PHONE_NUMBER': '00000001' })).toEqual([a]);
			// checkStatisticFilter drops unknown fields and operations instead of matching nothing.
			expect(
				await filtered({ NO_SUCH_FIELD: 'x', '@CALL_ID': [a], EXTERNAL_CALL_ID: 'pbx-b' }),
			).toEqual([b]);

			// ORDER must be exactly ASC or DESC, and both SORT and ORDER given, or nothing is sorted.
			const order = async (params: Record<string, unknown>) =>
				(await call('voximplant.statistic.get', params)).data.result.map(
					(row: { CALL_ID: string }) => row.CALL_ID,
				);
			expect(await order({ SORT: 'CALL_START_DATE', ORDER: 'DESC' })).toEqual([b, a]);
			expect(await order({ SORT: 'CALL_START_DATE', ORDER: 'desc' })).toEqual([a, b]);
			expect(await order({ SORT: 'CALL_START_DATE' })).toEqual([a, b]);
			expect(await order({ SORT: 'CALL_TYPE', ORDER: 'ASC' })).toEqual([a, b]);
		});
	});
});
