/**
 * Server time on the portal's virtual clock (docs/bitrix24-fidelity.md rows 41–43): the `time` and
 * `result_time` blocks, the operating budget in baskets opened by their first call, a refusal
 * inside a batch that leaves the other commands done, and the 60-second request cut-off.
 * One file over 250 lines: every case drives the same clock and the same register/finish pairs.
 */
import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });
const REGISTER = 'telephony.externalcall.register';
const FINISH = 'telephony.externalcall.finish';
const SERVER_TIME = { perMethod: { [REGISTER]: 0.2, [FINISH]: 0.3 } };
const BLOCKED = {
	error: 'OPERATION_TIME_LIMIT',
	error_description: 'Method is blocked due to operation time limit.',
};

describe('server time', () => {
	let sandbox: Sandbox;
	let clock = 0;
	const call = (method: string, params: unknown = {}) =>
		client.post(`${sandbox.webhookUrl}${method}.json`, params);
	const registerParams = (i: number) =>
		`${REGISTER}?USER_ID=1&TYPE=2&PHONE_NUMBER=%2B49301000${String(i).padStart(3, '0')}&EXTERNAL_CALL_ID=x${i}`;
	const finishCommand = (i: number) =>
		`${FINISH}?CALL_ID=$result[r${i}][CALL_ID]&USER_ID=1&DURATION=5`;
	const pairs = (count: number) =>
		Object.fromEntries(
			Array.from({ length: count }, (_, i) => [
				[`r${i}`, registerParams(i)],
				[`f${i}`, finishCommand(i)],
			]).flat(),
		);

	beforeEach(async () => {
		clock = Date.parse('2026-12-07T10:00:40Z');
		sandbox = await startSandbox({ now: () => clock, serverTime: SERVER_TIME });
	});
	afterEach(() => sandbox.close());

	it('fills `time` as Bitrix24 does and advances only the portal clock', async () => {
		sandbox.configure({ operatingLimit: { limitSeconds: 480 } });
		const first = await call(REGISTER, { USER_ID: 1, PHONE_NUMBER: '+4930111', TYPE: 2 });
		const start = clock / 1000;
		expect(first.data.time).toEqual({
			start,
			finish: start + 0.2,
			duration: expect.closeTo(0.2, 6),
			processing: expect.closeTo(0.2, 6),
			date_start: '2026-12-07T11:00:40+01:00',
			date_finish: '2026-12-07T11:00:40+01:00',
			operating_reset_at: Math.floor(start) + 600,
			operating: expect.closeTo(0.2, 6),
		});
		const profile = await call('profile');
		// The wall clock did not move (clock is fixed); the portal's did, by 0.2 s.
		expect(profile.data.time.start).toBeCloseTo(start + 0.2, 6);
		expect(profile.data.time.duration).toBeCloseTo(0.01, 6);
	});

	it('batch: result_time per command, the outer `time` spans them and has no operating of its own', async () => {
		sandbox.configure({ operatingLimit: { limitSeconds: 480 } });
		const response = await call('batch', { halt: 0, cmd: pairs(2) });
		const { result_time: times } = response.data.result;
		expect(Object.keys(times)).toEqual(['r0', 'f0', 'r1', 'f1']);
		expect(times.f0).toEqual({
			start: expect.any(Number),
			finish: expect.any(Number),
			duration: expect.closeTo(0.3, 6),
			processing: expect.closeTo(0.3, 6),
			date_start: expect.stringMatching(/^2026-12-07T11:00:4\d\+01:00$/),
			date_finish: expect.stringMatching(/^2026-12-07T11:00:4\d\+01:00$/),
			operating_reset_at: Math.floor(clock / 1000) + 600,
			operating: expect.closeTo(0.3, 6),
		});
		expect(times.f1.operating).toBeCloseTo(0.6, 6);
		expect(times.r1.operating).toBeCloseTo(0.4, 6);
		expect(response.data.time.duration).toBeCloseTo(1.0, 6);
		expect(response.data.time.operating).toBe(0);
	});

	it('counts baskets from their first call, not from clock minutes', async () => {
		sandbox.configure({ operatingLimit: { limitSeconds: 480 } });
		const opened = clock;
		await call('profile');
		clock = opened + 50_000; // 10:01:30, another clock minute but the same basket
		const same = await call('profile');
		expect(same.data.time.operating).toBeCloseTo(0.02, 6);
		expect(same.data.time.operating_reset_at).toBe(Math.floor(opened / 1000) + 600);
		clock = opened + 61_000; // past the basket's minute: a new basket
		await call('profile');
		clock = opened + 600_500; // the first basket has run out, the second still counts
		const later = await call('profile');
		expect(later.data.time.operating).toBeCloseTo(0.02, 6);
		expect(later.data.time.operating_reset_at).toBe(Math.floor((opened + 61_000) / 1000) + 600);
	});

	it('an exhausted budget refuses only that command inside a batch; the others ran', async () => {
		sandbox.configure({ operatingLimit: { limitSeconds: 1 } });
		const response = await call('batch', { halt: 0, cmd: pairs(6) });
		const { result, result_error: errors } = response.data.result;
		// Finishes count 0.3 s each: 4 run (1.2 s > 1), the 5th and 6th are refused, registers go on.
		expect(Object.keys(errors)).toEqual(['f4', 'f5']);
		expect(errors.f4).toEqual(BLOCKED);
		expect(Object.keys(result)).toEqual([
			'r0',
			'f0',
			'r1',
			'f1',
			'r2',
			'f2',
			'r3',
			'f3',
			'r4',
			'r5',
		]);
		expect(sandbox.state.statistics).toHaveLength(4);
		expect(sandbox.state.activeCalls).toHaveLength(2);
		const alone = await call(FINISH, { CALL_ID: result.r4.CALL_ID, USER_ID: 1 });
		expect(alone.status).toBe(429);
		expect(alone.data).toEqual(BLOCKED);
	});

	describe('the 60-second request limit', () => {
		const slowFinishes = { perMethod: { [REGISTER]: 0.2, [FINISH]: 3 } };

		it('cuts a batch off: the commands before the cut-off took effect, the client gets a 504', async () => {
			sandbox.configure({ serverTime: slowFinishes });
			const response = await call('batch', { halt: 0, cmd: pairs(25) });
			expect(response.status).toBe(504);
			expect(String(response.data)).toContain('504 Gateway Time-out');
			// 18 pairs take 57.6 s and the 19th register ends at 57.8 s; its finish would end at 60.8 s.
			expect(sandbox.state.statistics).toHaveLength(18);
			expect(sandbox.state.activeCalls).toHaveLength(1);
			expect(sandbox.requests.at(-1)?.fault).toBe('requestTimeLimit');
		});

		it("drops the connection instead when set to 'drop'", async () => {
			sandbox.configure({ serverTime: { ...slowFinishes, cutOffAnswer: 'drop' } });
			const failure = await call('batch', { halt: 0, cmd: pairs(25) }).then(
				() => null,
				(error: { code?: string }) => error.code,
			);
			expect(failure).toMatch(/ECONNRESET|socket hang up/i);
			expect(sandbox.state.statistics.length).toBeGreaterThan(0);
		});

		it('lets a request that stays under the limit through', async () => {
			sandbox.configure({ serverTime: slowFinishes });
			const response = await call('batch', { halt: 0, cmd: pairs(18) });
			expect(response.status).toBe(200);
			expect(sandbox.state.statistics).toHaveLength(18);
		});
	});
});
