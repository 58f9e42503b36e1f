/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Every wait of the node ends when the execution is cancelled (issue 5): waiting for the rate
 * limiter, and waiting out a 429. The engine reports a cancelled run at once, whatever the node
 * does, so these tests watch the node's own execute() settle, and the portal: nothing more may
 * reach it. Each wait is set far longer than the test timeout: a node that kept waiting fails the
 * test by timing out.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { Bitrix24Telephony } from '../../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import * as rateLimiter from '../../../../nodes/Bitrix24Telephony/transport/rateLimiter';
import {
	bucketFor,
	resetRateLimiters,
} from '../../../../nodes/Bitrix24Telephony/transport/rateLimiter';
import { runNode } from '../../../helpers/workflowRunner';
import { callItems, registerParameters } from './calls';

let sandbox: Sandbox;
/** The executions of our node, as they run. */
let executions: Array<Promise<unknown>>;

beforeEach(() => {
	resetRateLimiters();
	executions = [];
	const original = Bitrix24Telephony.prototype.execute;
	jest.spyOn(Bitrix24Telephony.prototype, 'execute').mockImplementation(function (this: never) {
		const running = original.call(this);
		executions.push(running.catch((error: unknown) => error));
		return running;
	});
});

afterEach(async () => {
	jest.restoreAllMocks();
	resetRateLimiters();
	await sandbox.close();
});

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('cancelled while waiting for the rate limiter: the node stops, nothing is sent', async () => {
	sandbox = await startSandbox({ seed: 'demo' });
	// Other executions of this n8n have queued 400 requests to this portal: ours would wait ~3.5 min.
	const bucket = bucketFor(sandbox.url, 'standard');
	for (let i = 0; i < 400; i++) bucket.reserve();

	const abort = new AbortController();
	const run = runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl, plan: 'standard' } },
		parameters: registerParameters(),
		items: callItems(1, 'cancel-limiter'),
		abortSignal: abort.signal,
	});
	await until(() => executions.length === 1);
	await new Promise((resolve) => setTimeout(resolve, 300));
	abort.abort();

	const result = await run;
	expect(result.status).toBe('canceled');
	const outcome = (await executions[0]) as Error;
	expect(outcome).toBeInstanceOf(Error);
	expect(outcome.message).toBe('The execution was cancelled while waiting for Bitrix24');
	expect(sandbox.requests).toHaveLength(0);
});

test('cancelled while waiting out a 429 (the block lifts in ~80 s): the node stops, nothing more is sent', async () => {
	const MINUTE = 60_000;
	const M = Math.floor(Date.now() / MINUTE) + 100;
	let offset = M * MINUTE + 1_000 - Date.now();
	sandbox = await startSandbox({
		seed: 'demo',
		operatingLimit: { limitSeconds: 2, costSecondsPerCall: 1 },
		now: () => Date.now() + offset,
	});
	const credentials = { bitrix24WebhookApi: { webhookUrl: sandbox.webhookUrl } };
	// Two seconds of the budget spent in minute M; 80 s before that minute leaves the window,
	// one more call passes (and its answer says when the block lifts), the next one is refused.
	expect(
		(await runNode({ credentials, parameters: registerParameters(), items: callItems(2, 'spent') }))
			.status,
	).toBe('success');
	offset = (M + 8) * MINUTE + 40_000 - Date.now();
	sandbox.clearRequests();
	executions.length = 0;

	// The abort must land while the node waits the 429 out, not while the answer is still on
	// its way: the node's waits are watched (they run as they are) for one that long.
	const waits = jest.spyOn(rateLimiter, 'waitFor');
	const abort = new AbortController();
	const run = runNode({
		credentials,
		parameters: registerParameters({ batching: false }),
		items: callItems(2, 'cancel-429').map((item, i) => ({
			...item,
			phone: `+4932${String(i).padStart(7, '0')}`,
		})),
		abortSignal: abort.signal,
	});
	await until(() => waits.mock.calls.some(([ms]) => ms > MINUTE));
	expect(sandbox.requests.map((r) => r.status)).toEqual([200, 429]);
	abort.abort();

	expect((await run).status).toBe('canceled');
	const outcome = (await executions[0]) as Error;
	expect(outcome).toBeInstanceOf(Error);
	expect(outcome.message).toBe('The execution was cancelled while waiting for Bitrix24');
	expect(sandbox.requests.map((r) => r.status)).toEqual([200, 429]);
});
