/**
 * The Bitrix24 Telephony Poll Trigger in n8n-core's poll context against the sandbox: its first
 * activation does not replay history, each finished call is emitted once across polls, pages of
 * 50 are followed, the filters hold, "Fetch Test Event" shows the latest call, and the webhook and
 * OAuth2 credentials both work. What reached the portal is read from its request log.
 */
import { NodeOperationError } from 'n8n-workflow';

import { startSandbox, type Sandbox } from '../../sandbox';
import { assertNoSecretLeak } from '../helpers/secretScan';
import { webhookCredentials } from '../helpers/portal';
import { connectApp } from './environment';
import { logCalls, pollNode, PollWorkflow } from './pollRunner';

let sandbox: Sandbox;
beforeEach(async () => {
	sandbox = await startSandbox({ seed: 'demo' });
});
afterEach(async () => {
	await sandbox.close();
});

const statisticRequests = () =>
	sandbox.requests.filter((request) => request.restMethod === 'voximplant.statistic.get');

function webhookPoller(filters = {}) {
	return new PollWorkflow({ authentication: 'webhook', filters }, webhookCredentials(sandbox));
}

describe('Poll Trigger: the description', () => {
	test('a polling trigger (n8n adds Poll Times), webhook or OAuth2, not an AI tool, with a builder hint', () => {
		const { description } = pollNode;
		expect(description.name).toBe('bitrix24TelephonyPollTrigger');
		expect(description.polling).toBe(true);
		expect(description.group).toEqual(['trigger']);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.credentials?.map((c) => c.name)).toEqual([
			'bitrix24WebhookApi',
			'bitrix24OAuth2Api',
		]);
		expect(description.builderHint?.message).toMatch(/no public URL/);
	});
});

describe('Poll Trigger: cursor', () => {
	test('the first activation emits nothing and starts from the newest call', async () => {
		await logCalls(sandbox, [{}, {}, {}]);
		const poller = webhookPoller();
		expect(await poller.poll()).toBeNull();
		const newestId = sandbox.state.statistics.at(-1)?.id;
		expect(poller.cursor).toEqual({ lastId: newestId });
		// Nothing new: still nothing.
		expect(await poller.poll()).toBeNull();
	});

	test('an empty history starts at 0, and the first call after it is emitted', async () => {
		const poller = webhookPoller();
		expect(await poller.poll()).toBeNull();
		expect(poller.cursor).toEqual({ lastId: 0 });
		const [callId] = await logCalls(sandbox, [{ duration: 12 }]);
		const items = await poller.poll();
		expect(items?.map((item) => item.json.CALL_ID)).toEqual([callId]);
	});

	test('new calls are emitted once, oldest first, typed; never again on the next polls', async () => {
		await logCalls(sandbox, [{}]);
		const poller = webhookPoller();
		await poller.poll();
		const ids = await logCalls(sandbox, [
			{ duration: 42, statusCode: '200' },
			{ duration: 0, statusCode: '304' },
		]);
		const items = await poller.poll();
		expect(items?.map((item) => item.json.CALL_ID)).toEqual(ids);
		expect(items?.[0].json).toMatchObject({
			CALL_DURATION: 42,
			CALL_FAILED_CODE: '200',
			CALL_TYPE: 2,
			PORTAL_USER_ID: 1,
			ID: expect.any(Number),
			crmEntityUrl: `${sandbox.url}/crm/contact/details/797/`,
		});
		expect(await poller.poll()).toBeNull();
		const [later] = await logCalls(sandbox, [{}]);
		expect((await poller.poll())?.map((item) => item.json.CALL_ID)).toEqual([later]);
		expect(await poller.poll()).toBeNull();
	});

	test('more calls than one page: the pages are followed, each call emitted exactly once', async () => {
		const poller = webhookPoller();
		await poller.poll();
		const ids = await logCalls(
			sandbox,
			Array.from({ length: 120 }, () => ({})),
		);
		sandbox.clearRequests();
		const items = await poller.poll();
		expect(items?.map((item) => item.json.CALL_ID)).toEqual(ids);
		expect(statisticRequests().map((request) => request.params)).toEqual([
			expect.objectContaining({ FILTER: { '>ID': 0 }, SORT: 'ID', ORDER: 'ASC', start: 0 }),
			expect.objectContaining({ start: 50 }),
			expect.objectContaining({ start: 100 }),
		]);
		expect(await poller.poll()).toBeNull();
	});
});

describe('Poll Trigger: filters', () => {
	async function mixedCalls() {
		return await logCalls(sandbox, [
			{ type: 2, statusCode: '304', duration: 0 },
			{ type: 1, statusCode: '200' },
			{ type: 2, statusCode: '200', lineNumber: '+493000000' },
			{ type: 3, statusCode: '486', duration: 0 },
		]);
	}

	test('missed only (304): Bitrix24 filters, only the missed call is emitted', async () => {
		const poller = webhookPoller({ statusCodes: ['304'] });
		await poller.poll();
		const ids = await mixedCalls();
		sandbox.clearRequests();
		expect((await poller.poll())?.map((item) => item.json.CALL_ID)).toEqual([ids[0]]);
		expect(statisticRequests()[0].params).toMatchObject({
			FILTER: { CALL_FAILED_CODE: '304' },
		});
	});

	test('several types and statuses: filtered here; the cursor still passes the others', async () => {
		const poller = webhookPoller({ callTypes: [2, 3], statusCodes: ['304', '486'] });
		await poller.poll();
		const ids = await mixedCalls();
		expect((await poller.poll())?.map((item) => item.json.CALL_ID)).toEqual([ids[0], ids[3]]);
		expect(poller.cursor).toEqual({ lastId: sandbox.state.statistics.at(-1)?.id });
		expect(await poller.poll()).toBeNull();
	});

	test('a line: only calls through it', async () => {
		const poller = webhookPoller({ lineNumber: '+493000000' });
		await poller.poll();
		const ids = await mixedCalls();
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.CALL_ID, item.json.PORTAL_NUMBER])).toEqual([
			[ids[2], '+493000000'],
		]);
	});

	test('an unknown status by expression is refused before any request', async () => {
		const poller = webhookPoller({ statusCodes: ['999'] });
		sandbox.clearRequests();
		await expect(poller.poll()).rejects.toThrow(/Filters → Statuses: 999 is not one of 200, 423/);
		expect(statisticRequests()).toEqual([]);
	});
});

describe('Poll Trigger: Fetch Test Event and credentials', () => {
	test('manual mode returns the latest matching call and leaves the cursor alone', async () => {
		const ids = await logCalls(sandbox, [
			{ statusCode: '304', duration: 0 },
			{ statusCode: '200' },
		]);
		const poller = webhookPoller({ statusCodes: ['304'] });
		const items = await poller.poll('manual');
		expect(items?.map((item) => item.json.CALL_ID)).toEqual([ids[0]]);
		expect(poller.cursor).toEqual({});
		const everything = webhookPoller();
		expect((await everything.poll('manual'))?.map((item) => item.json.CALL_ID)).toEqual([ids[1]]);
	});

	test('manual mode with no matching call says so', async () => {
		const poller = webhookPoller({ statusCodes: ['423'] });
		await logCalls(sandbox, [{}]);
		const failure = await poller.poll('manual').catch((error: unknown) => error);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toBe(
			'No finished call in the call history matches the filters yet',
		);
	});

	test('the OAuth2 credential works the same, and no secret reaches the output', async () => {
		const { credentials } = connectApp(sandbox);
		const poller = new PollWorkflow({ authentication: 'oAuth2' }, credentials);
		await poller.poll();
		const [callId] = await logCalls(sandbox, [{}]);
		sandbox.clearRequests();
		const items = await poller.poll();
		expect(items?.map((item) => item.json.CALL_ID)).toEqual([callId]);
		expect(statisticRequests().map((request) => request.auth)).toEqual(['oauth']);
		assertNoSecretLeak(JSON.stringify(items), [credentials.bitrix24OAuth2Api], 'poll output');
	});

	test('a wrong webhook fails the poll with a node error that names no secret', async () => {
		const wrong = 'wrongcode0000000000000';
		const poller = new PollWorkflow(
			{ authentication: 'webhook' },
			webhookCredentials(sandbox, `${sandbox.url}/rest/1/${wrong}/`),
		);
		const failure = (await poller.poll().catch((error: unknown) => error)) as Error;
		expect(failure.constructor.name).toBe('NodeApiError');
		expect(
			JSON.stringify({ m: failure.message, d: (failure as { description?: string }).description }),
		).not.toContain(wrong);
	});
});
