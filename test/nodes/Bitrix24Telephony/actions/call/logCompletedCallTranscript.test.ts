/**
 * Call → Log Completed Call with a transcript (issue 22 §3): register + finish + recording +
 * transcript in one `batch` request, the transcript attached to the new CALL_ID; a bad
 * transcript refused before any request, naming the item and the field.
 */
import { callSteps } from '../../../../helpers/callSteps';
import { usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

beforeEach(() => portal().clearRequests());

const call = {
	operation: 'logCompletedCall',
	externalCallId: '={{ $json.id }}',
	userIdentification: 'extension',
	userPhoneInner: '101',
	phoneNumber: '+4915112345678',
	type: 2,
	duration: 14,
	statusCode: '200',
	transcript: '={{ $json.turns }}',
};

const turns = [
	{ side: 'User', startTime: 1, stopTime: 4, message: 'Hello, ACME front desk.' },
	{ side: 'client', startTime: 5, stopTime: 9, message: 'I would like to move my appointment.' },
];

describe('Call → Log Completed Call with a transcript', () => {
	test('register, finish, recording and transcript travel in one request; the transcript belongs to the new call', async () => {
		const mp3 = Buffer.alloc(2048, 0xff);
		const result = await steps.run(
			{ ...call, binaryPropertyName: 'data' },
			{
				items: [{ id: 'ai-1', turns }],
				binaries: { 0: { data: { base64: mp3.toString('base64'), fileName: 'ai-1.mp3' } } },
				typeVersion: 1.1,
			},
		);
		expect(result.status).toBe('success');
		expect(portal().requests).toHaveLength(1);
		expect(portal().requests[0].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
			'telephony.externalcall.attachrecord',
			'telephony.call.attachtranscription',
		]);
		const json = result.items[0].json;
		const callId = json.CALL_ID as string;
		expect(callId).toMatch(/^externalCall\./);
		expect(json.transcription).toEqual({ TRANSCRIPT_ID: expect.any(Number) });

		const transcripts = portal().state.transcripts.filter((t) => t.callId === callId);
		expect(transcripts).toHaveLength(1);
		expect(
			(transcripts[0].messages as Array<Record<string, unknown>>).map((m) => [
				m.SIDE,
				Number(m.START_TIME),
				Number(m.STOP_TIME),
				m.MESSAGE,
			]),
		).toEqual([
			['User', 1, 4, 'Hello, ACME front desk.'],
			['Client', 5, 9, 'I would like to move my appointment.'],
		]);
		const stat = portal().state.statistics.find((s) => s.callId === callId);
		expect(stat).toMatchObject({ duration: 14, transcriptId: transcripts[0].id });
		expect(portal().state.records.find((r) => r.callId === callId)?.fileName).toBe(
			`${callId} ai-1.mp3`,
		);
	});

	test('a transcript typed as JSON text is read the same way', async () => {
		const result = await steps.run(
			{ ...call, externalCallId: 'ai-json', transcript: JSON.stringify(turns) },
			{ typeVersion: 1.1 },
		);
		expect(result.status).toBe('success');
		expect(portal().requests[0].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
			'telephony.call.attachtranscription',
		]);
		expect(portal().state.transcripts.some((t) => t.callId === result.items[0].json.CALL_ID)).toBe(
			true,
		);
	});

	test('an empty transcript is no transcript: register and finish only', async () => {
		const result = await steps.run(
			{ ...call, externalCallId: 'ai-none', transcript: '' },
			{ typeVersion: 1.1 },
		);
		expect(result.status).toBe('success');
		expect(portal().requests[0].batchCommands).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.finish',
		]);
		expect(result.items[0].json.transcription).toBeUndefined();
	});

	test.each([
		[
			'a side that is neither Client nor User',
			[{ side: 'Agent', startTime: 0, stopTime: 2, message: 'Hi' }],
			/'Transcript' has an entry 0 whose side is not "Client" or "User" \[item 1\]/,
		],
		[
			'seconds that are not whole numbers',
			[{ side: 'User', startTime: 0.5, stopTime: 2, message: 'Hi' }],
			/'Transcript' has a start time in entry 0 of "0\.5".*\[item 1\]/,
		],
		['text that is not a list', 'Agent: Hi', /'Transcript' must be a list of .*\[item 1\]/],
	])(
		'%s is refused before any request, naming the item and the field',
		async (_case, bad, message) => {
			const result = await steps.run(call, {
				items: [
					{ id: 'ai-ok', turns },
					{ id: 'ai-bad', turns: bad },
				],
				typeVersion: 1.1,
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
			expect(portal().requests).toHaveLength(0);
		},
	);

	test('with Continue On Fail, the item with a bad transcript fails alone and the others are logged', async () => {
		const result = await steps.run(call, {
			items: [
				{ id: 'ai-cof-1', turns },
				{ id: 'ai-cof-2', turns: [{ side: 'User', startTime: 3, stopTime: 1, message: 'x' }] },
			],
			typeVersion: 1.1,
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.transcription).toEqual({ TRANSCRIPT_ID: expect.any(Number) });
		expect(String(result.items[1].json.error)).toMatch(
			/'Transcript' has an entry 0 that stops before it starts \[item 1\]/,
		);
		expect(
			portal().state.statistics.filter((s) => s.call.externalCallId?.startsWith('ai-cof')),
		).toHaveLength(1);
	});
});
