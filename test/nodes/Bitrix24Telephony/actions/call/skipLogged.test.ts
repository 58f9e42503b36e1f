/**
 * Log Completed Call → Options → Skip Calls Already Logged (issue 23 §3, docs/bitrix24-fidelity.md
 * row 53): a rerun of the same CDR logs nothing twice; the rows are looked up by EXTERNAL_CALL_ID
 * in the call history (`voximplant.statistic.get`, a list filter), in one batch before sending.
 */
import type { IDataObject } from 'n8n-workflow';

import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

const rows = (prefix: string, count: number) =>
	Array.from({ length: count }, (_, i) => ({
		phone: `+49302${prefix.length}${String(i).padStart(5, '0')}`,
		start: new Date(Date.parse('2026-11-03T08:00:00Z') + i * 60_000).toISOString(),
		id: `${prefix}-${i}`,
	}));

const importRows = (items: IDataObject[], skipLogged = true) =>
	steps.run(
		{
			operation: 'logCompletedCall',
			userIdentification: 'extension',
			userPhoneInner: '102',
			phoneNumber: '={{ $json.phone }}',
			type: 2,
			duration: 30,
			statusCode: '200',
			additionalFields: { callStartDate: '={{ $json.start }}', externalCallId: '={{ $json.id }}' },
			options: { skipLogged },
		},
		{ items },
	);

const loggedWithId = (id: string) =>
	portal().state.statistics.filter((row) => row.call.externalCallId === id).length;

describe('Log Completed Call → Skip Calls Already Logged', () => {
	test('a second import of the same rows logs nothing and outputs them as skipped', async () => {
		const cdr = rows('rerun', 60);
		const first = await importRows(cdr);
		expect(first.status).toBe('success');
		expect(first.items.every((i) => i.json.skipLoggedCheck === 'notLogged')).toBe(true);
		const firstCallIds = first.items.map((i) => i.json.CALL_ID);
		portal().clearRequests();

		const second = await importRows(cdr);
		expect(second.status).toBe('success');
		// One request: 60 ids asked in two list filters (50 + 10) inside one batch; nothing sent.
		expect(portal().requests.map((r) => r.batchCommands)).toEqual([
			['voximplant.statistic.get', 'voximplant.statistic.get'],
		]);
		expect(second.items).toHaveLength(60);
		second.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toEqual({
				skipped: true,
				reason: 'alreadyLogged',
				CALL_ID: firstCallIds[i],
				EXTERNAL_CALL_ID: `rerun-${i}`,
				CALL_START_DATE: expect.any(String),
				RECORD_FILE_ID: null,
			});
		});
		for (const { id } of cdr) expect(loggedWithId(id)).toBe(1);
	});

	test('a rerun after a partial import logs only the rows missing', async () => {
		const cdr = rows('partial', 5);
		await importRows(cdr.slice(0, 3));
		portal().clearRequests();
		const result = await importRows(cdr);
		expect(result.items.map((i) => i.json.skipped ?? i.json.skipLoggedCheck)).toEqual([
			true,
			true,
			true,
			'notLogged',
			'notLogged',
		]);
		expect(restMethods(portal())).toEqual(['batch', 'batch']);
		expect(portal().requests[1].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
		]);
		for (const { id } of cdr) expect(loggedWithId(id)).toBe(1);
	});

	test('a row repeating an earlier row of the same input is skipped too', async () => {
		const [a, b] = rows('twice', 2);
		const result = await importRows([a, b, { ...a }]);
		expect(result.items.map((i) => i.json)).toEqual([
			expect.objectContaining({ skipLoggedCheck: 'notLogged' }),
			expect.objectContaining({ skipLoggedCheck: 'notLogged' }),
			{ skipped: true, reason: 'duplicateInInput', EXTERNAL_CALL_ID: a.id, duplicateOfItem: 0 },
		]);
		expect(loggedWithId(a.id)).toBe(1);
	});

	test('rows without an External Call ID cannot be matched: they are logged, and say so', async () => {
		const row = { phone: '+4930999000', start: '2026-11-04T08:00:00Z', id: '' };
		const first = await importRows([row]);
		const second = await importRows([row]);
		for (const result of [first, second]) {
			expect(result.status).toBe('success');
			expect(result.items[0].json).toMatchObject({ skipLoggedCheck: 'noExternalCallId' });
		}
		expect(first.items[0].json.CALL_ID).not.toBe(second.items[0].json.CALL_ID);
	});

	test('a full page of history asks again for the IDs it did not show', async () => {
		const cdr = rows('page', 50);
		// The first ID logged twice (without the option), ahead of the others: the first page of
		// 50 rows then holds it twice and misses the last ID.
		await importRows([cdr[0]], false);
		await importRows([cdr[0]], false);
		await importRows(cdr.slice(1), false);
		portal().clearRequests();
		const result = await importRows(cdr);
		expect(result.items.every((i) => i.json.reason === 'alreadyLogged')).toBe(true);
		expect(portal().requests.map((r) => r.batchCommands)).toEqual([
			['voximplant.statistic.get'],
			['voximplant.statistic.get'],
		]);
		expect(portal().requests[1].params).toMatchObject({
			cmd: { k0_lookup: expect.stringContaining('page-49') },
		});
	});

	test('a portal that ignores the filter: nothing is sent, the option is named', async () => {
		// A history row that carries none of the IDs asked for (as from a module that does not
		// store EXTERNAL_CALL_ID): the lookup cannot be trusted.
		const answer = {
			result: {
				result: { k0_lookup: [{ CALL_ID: 'externalCall.other.1', EXTERNAL_CALL_ID: null }] },
				result_error: [],
				result_total: [],
				result_next: [],
				result_time: [],
			},
		};
		portal().configure({ faults: { next: [{ status: 200, body: JSON.stringify(answer) }] } });
		try {
			const result = await importRows(rows('ignored', 2));
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain(
				'did not filter its call history by EXTERNAL_CALL_ID',
			);
			expect(result.error?.message).toContain('Skip Calls Already Logged');
			expect(restMethods(portal())).toEqual(['batch']);
		} finally {
			portal().configure({ faults: { next: [] } });
		}
	});

	test('without the option nothing is looked up (the saved behaviour)', async () => {
		const cdr = rows('nooption', 2);
		await importRows(cdr, false);
		expect(portal().requests.map((r) => r.batchCommands)).toEqual([
			[
				'telephony.externalcall.register',
				'telephony.externalcall.finish',
				'telephony.externalcall.register',
				'telephony.externalcall.finish',
			],
		]);
	});
});
