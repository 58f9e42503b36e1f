import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

const cdr = {
	operation: 'logCompletedCall',
	userIdentification: 'extension',
	userPhoneInner: '102',
	phoneNumber: '+4915112345678',
	type: 2,
	duration: 61,
	statusCode: '200',
};

describe('Call → Log Completed Call', () => {
	test('register + finish + recording in exactly one HTTP request', async () => {
		const mp3 = Buffer.alloc(2048, 0xff);
		const result = await steps.run(
			{
				...cdr,
				additionalFields: { callStartDate: '2026-11-20T09:30:00+01:00', externalCallId: 'cdr-1' },
				binaryPropertyName: 'data',
				finishFields: { vote: 4 },
			},
			{ binaries: { 0: { data: { base64: mp3.toString('base64'), fileName: 'cdr-1.mp3' } } } },
		);
		expect(result.status).toBe('success');
		expect(portal().requests).toHaveLength(1);
		expect(portal().requests[0].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
			'telephony.externalcall.attachrecord',
		]);
		const json = result.items[0].json;
		expect(json.CALL_ID).toMatch(/^externalCall\./);
		expect(json).toMatchObject({
			CALL_DURATION: 61,
			CALL_FAILED_CODE: '200',
			CALL_VOTE: 4,
			PORTAL_USER_ID: 2,
			EXTERNAL_CALL_ID: 'cdr-1',
		});
		expect((json.register as Record<string, unknown>).CALL_ID).toBe(json.CALL_ID);
		expect(typeof (json.record as Record<string, unknown>).FILE_ID).toBe('number');
		const stat = portal().state.statistics.find((s) => s.callId === json.CALL_ID);
		expect(stat).toMatchObject({ duration: 61, statusCode: '200' });
		expect(portal().state.records.find((r) => r.callId === json.CALL_ID)).toBeDefined();
		// A call logged after the fact pops no card.
		expect(stat?.call.show).toBe(false);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	test('a CDR of 40 rows: one item out per row, in order, 10 rows first, then as many as 50 commands allow', async () => {
		const rows = Array.from({ length: 40 }, (_, i) => ({
			phone: `+49301234${String(i).padStart(4, '0')}`,
			id: `cdr-bulk-${i}`,
			talk: i % 3 === 0 ? 0 : 10 + i,
		}));
		const result = await steps.run(
			{
				...cdr,
				phoneNumber: '={{ $json.phone }}',
				duration: '={{ $json.talk }}',
				statusCode: '={{ $json.talk > 0 ? "200" : "304" }}',
				additionalFields: {
					externalCallId: '={{ $json.id }}',
					callStartDate: '2026-11-20T09:30:00Z',
				},
			},
			{ items: rows },
		);
		expect(result.items).toHaveLength(40);
		// 2 commands per row: 10 rows while no server time is known (20 s at 1 s per command,
		// transport/pacing.ts), then 25 rows per batch of 50.
		expect(restMethods(portal())).toEqual(['batch', 'batch', 'batch']);
		expect(portal().requests.map((r) => r.batchCommands?.length)).toEqual([20, 50, 10]);
		result.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.EXTERNAL_CALL_ID).toBe(rows[i].id);
			expect((item.json.call as Record<string, unknown>).missed).toBe(rows[i].talk === 0);
		});
	});

	test("a past call is not posted to the employee's chat unless asked, on every portal", async () => {
		// Sent explicitly: the docs default ADD_TO_CHAT to 1, the module source reads a missing one as 0.
		const quiet = await steps.run({ ...cdr, additionalFields: { externalCallId: 'cdr-chat-0' } });
		const loud = await steps.run({
			...cdr,
			additionalFields: { externalCallId: 'cdr-chat-1', addToChat: true },
		});
		const statistic = (result: typeof quiet) =>
			portal().state.statistics.find((s) => s.callId === result.items[0].json.CALL_ID);
		expect(statistic(quiet)?.params.ADD_TO_CHAT).toBe('0');
		expect(statistic(quiet)?.addToChat).toBe(false);
		expect(statistic(loud)?.params.ADD_TO_CHAT).toBe('1');
		expect(statistic(loud)?.addToChat).toBe(true);
	});

	test('a row Bitrix24 refuses fails alone; the others are logged (Continue On Fail)', async () => {
		const rows = [{ ext: '101' }, { ext: '999' }, { ext: '103' }];
		const result = await steps.run(
			{
				...cdr,
				userPhoneInner: '={{ $json.ext }}',
				additionalFields: { externalCallId: '={{ "cdr-err-" + $json.ext }}' },
			},
			{ items: rows, continueOnFail: true },
		);
		expect(result.items).toHaveLength(3);
		expect(result.items[0].json.CALL_ID).toBeDefined();
		expect(result.items[1].json.error).toBe(
			'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")',
		);
		expect(result.items[2].json.CALL_ID).toBeDefined();
		expect(portal().requests).toHaveLength(1);
	});

	test('a recording too large for a batch is refused before any request, with the way out', async () => {
		const result = await steps.run(
			{ ...cdr, binaryPropertyName: 'data' },
			{
				binaries: {
					0: {
						data: { base64: Buffer.alloc(3 * 1024 * 1024).toString('base64'), fileName: 'big.wav' },
					},
				},
			},
		);
		expect(result.error?.message).toContain("'Recording Binary Field' holds");
		expect(result.error?.description).toContain('Attach Record');
		expect(portal().requests).toHaveLength(0);
	});
});
