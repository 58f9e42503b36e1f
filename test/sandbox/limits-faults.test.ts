import axios from 'axios';
import { PLAN_LIMITS, Sandbox, startSandbox } from '../../sandbox';

const http = axios.create({ validateStatus: () => true });
const REGISTER = { USER_ID: 1, PHONE_NUMBER: '+4915112345678', TYPE: 2 };

describe('limits and faults', () => {
	let sandbox: Sandbox;
	let clock = Date.parse('2026-03-10T10:00:00Z');
	const profile = () => http.post(`${sandbox.webhookUrl}profile`);

	beforeEach(async () => {
		clock = Date.parse('2026-03-10T10:00:00Z');
		sandbox = await startSandbox({ now: () => clock });
	});
	afterEach(() => sandbox.close());

	describe('leaky bucket (docs/bitrix24-fidelity.md row 35)', () => {
		it('lets burst + 1 requests through, then 503 until it drains', async () => {
			sandbox.configure({ rateLimit: { burst: 5, drainPerSecond: 1 } });
			const statuses: number[] = [];
			for (let i = 0; i < 8; i++) statuses.push((await profile()).status);
			expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 503, 503]);
			const throttled = await profile();
			expect(throttled.data).toEqual({
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			});

			clock += 1000;
			expect((await profile()).status).toBe(200);
			expect((await profile()).status).toBe(503);
			clock += 3500;
			expect((await profile()).status).toBe(200);
			expect(sandbox.limits.stats()).toEqual({
				accepted: 8,
				rejected503: 4,
				rejected429: 0,
				peakCounter: 6,
			});
		});

		it('counts a batch as one request and every HTTP request, even failing ones', async () => {
			sandbox.configure({ rateLimit: { burst: 1, drainPerSecond: 1 } });
			const cmd = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, 'profile']));
			expect((await http.post(`${sandbox.webhookUrl}batch`, { cmd })).status).toBe(200);
			expect((await http.post(`${sandbox.url}/rest/1/wrong/profile`)).status).toBe(401);
			expect((await http.post(`${sandbox.webhookUrl}batch`, { cmd })).status).toBe(503);
		});

		it('applies the standard plan exactly: 51 at once, the 52nd is refused', async () => {
			sandbox.configure({ rateLimit: PLAN_LIMITS.standard });
			const statuses = await Promise.all(
				Array.from({ length: 52 }, () => profile().then((response) => response.status)),
			);
			expect(statuses.filter((status) => status === 200)).toHaveLength(51);
			expect(statuses.filter((status) => status === 503)).toHaveLength(1);
			expect(PLAN_LIMITS.enterprise).toEqual({ burst: 250, drainPerSecond: 5 });
		});
	});

	describe('operating limit (docs/bitrix24-fidelity.md row 36)', () => {
		it('blocks a method after its window total exceeded the limit, per method, and reports time.operating', async () => {
			sandbox.configure({ operatingLimit: { limitSeconds: 2, costSecondsPerCall: 1 } });
			const first = await profile();
			expect(first.data.time).toMatchObject({
				operating: 1,
				operating_reset_at: Math.floor(clock / 60000) * 60 + 600,
			});
			expect((await profile()).data.time.operating).toBe(2);
			expect((await profile()).data.time.operating).toBe(3);
			const blocked = await profile();
			expect(blocked.status).toBe(429);
			expect(blocked.data).toEqual({
				error: 'OPERATION_TIME_LIMIT',
				error_description: 'Method is blocked due to operation time limit.',
			});
			expect((await http.post(`${sandbox.webhookUrl}user.get`)).status).toBe(200);
			const otherWebhook = sandbox.addWebhook({ userId: 1, code: 'second' });
			expect((await http.post(`${otherWebhook}profile`)).status).toBe(200);
			expect(sandbox.limits.stats().rejected429).toBe(1);

			clock += 10 * 60 * 1000;
			expect((await profile()).status).toBe(200);
		});

		it('counts batch commands per method but not the batch itself', async () => {
			sandbox.configure({
				operatingLimit: { limitSeconds: 1, costSecondsPerCall: { profile: 1, '*': 0 } },
			});
			const response = await http.post(`${sandbox.webhookUrl}batch`, {
				cmd: ['profile', 'profile', 'profile', 'user.get'],
			});
			expect(response.data.result.result_error).toEqual({
				2: {
					error: 'OPERATION_TIME_LIMIT',
					error_description: 'Method is blocked due to operation time limit.',
				},
			});
			expect(response.data.result.result_time[1].operating).toBe(2);
			expect(response.data.time.operating).toBe(0);
			expect((await profile()).status).toBe(429);
		});

		it('omits operating fields while the limiter is off', async () => {
			expect((await profile()).data.time).not.toHaveProperty('operating');
		});
	});

	describe('faults', () => {
		it('answers queued faults in order', async () => {
			sandbox.configure({
				faults: {
					next: [
						'queryLimit',
						'serverError',
						'htmlPage',
						'operationTimeLimit',
						{ status: 418, body: 'teapot', headers: { 'X-Test': '1' } },
					],
				},
			});
			const responses = [];
			for (let i = 0; i < 6; i++) responses.push(await profile());
			expect(responses.map((response) => response.status)).toEqual([503, 500, 502, 429, 418, 200]);
			expect(responses[1].data).toEqual({
				error: 'INTERNAL_SERVER_ERROR',
				error_description: 'Internal server error',
			});
			expect(responses[2].headers['content-type']).toContain('text/html');
			expect(responses[4].data).toBe('teapot');
			expect(responses[4].headers['x-test']).toBe('1');
			expect(sandbox.requests.map((request) => request.fault)).toEqual([
				'queryLimit',
				'serverError',
				'htmlPage',
				'operationTimeLimit',
				'raw 418',
				undefined,
			]);
		});

		it('dropConnection processes the request and loses the answer', async () => {
			sandbox.configure({ faults: { next: ['dropConnection'] } });
			await expect(
				http.post(`${sandbox.webhookUrl}telephony.externalcall.register`, REGISTER),
			).rejects.toThrow();
			expect(sandbox.state.activeCalls).toHaveLength(1);
			expect(sandbox.requests[0]).toMatchObject({ fault: 'dropConnection', status: 200 });
			const retry = await http.post(
				`${sandbox.webhookUrl}telephony.externalcall.register`,
				REGISTER,
			);
			expect(retry.data.result.CALL_ID).toBe(sandbox.state.activeCalls[0].callId);
		});

		it('dropBeforeProcessing loses the request entirely', async () => {
			sandbox.configure({ faults: { next: ['dropBeforeProcessing'] } });
			await expect(
				http.post(`${sandbox.webhookUrl}telephony.externalcall.register`, REGISTER),
			).rejects.toThrow();
			expect(sandbox.state.activeCalls).toHaveLength(0);
			expect(sandbox.requests[0]).toMatchObject({ fault: 'dropBeforeProcessing', status: 0 });
		});

		it('hang answers late after processing; latencyMs delays every answer', async () => {
			sandbox.configure({ faults: { next: ['hang'], hangMs: 300 } });
			let started = Date.now();
			const response = await http.post(
				`${sandbox.webhookUrl}telephony.externalcall.register`,
				REGISTER,
			);
			expect(Date.now() - started).toBeGreaterThanOrEqual(290);
			expect(response.status).toBe(200);
			sandbox.configure({ faults: { next: ['hang'], hangMs: 1000 } });
			await expect(http.post(`${sandbox.webhookUrl}profile`, {}, { timeout: 100 })).rejects.toThrow(
				/timeout/,
			);

			sandbox.configure({ latencyMs: 150, faults: {} });
			started = Date.now();
			await profile();
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		});

		it('draws random faults reproducibly from the seed', async () => {
			const run = async () => {
				const local = await startSandbox();
				local.configure({ faults: { seed: 42, serverError: 0.3, queryLimit: 0.2 } });
				const statuses = [];
				for (let i = 0; i < 20; i++)
					statuses.push((await http.post(`${local.webhookUrl}profile`)).status);
				await local.close();
				return statuses;
			};
			const first = await run();
			expect(await run()).toEqual(first);
			expect(new Set(first)).toEqual(new Set([200, 500, 503]));
		});
	});
});
