/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * A 503 storm (issue 5): another application on the same address has used up the portal's
 * burst (Bitrix24 limits per portal AND source address, so our own limiter cannot know), and on
 * top of that the portal throws random 503 QUERY_LIMIT_EXCEEDED (seeded, reproducible). Every
 * 503 is a request Bitrix24 refused before processing it, so the node may and must retry it; the
 * call table is the judge that nothing was lost and nothing was registered twice.
 */
import { PLAN_LIMITS } from '../../../../sandbox';
import { resetRateLimiters } from '../../../../nodes/Bitrix24Telephony/transport/rateLimiter';
import { usePortal } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';
import {
	callItems,
	expectEachRegisteredOnce,
	expectOutputInOrder,
	processed,
	registerParameters,
	sentIds,
} from './calls';

/**
 * The portal's clock stands still from the moment the other application starts until the node's
 * first request was refused: the bucket cannot drain in between, however slowly this machine
 * sends the 51 requests and starts the engine. Then it runs on from where it stopped.
 */
const clock = { offset: 0, frozenAt: undefined as number | undefined };
const portalNow = () => clock.frozenAt ?? Date.now() + clock.offset;
function freezeClock(): void {
	clock.frozenAt = portalNow();
}
function releaseClock(): void {
	if (clock.frozenAt === undefined) return;
	clock.offset = clock.frozenAt - Date.now();
	clock.frozenAt = undefined;
}

const { portal } = usePortal({ rateLimit: { ...PLAN_LIMITS.standard }, now: portalNow });

/** Seed 3 refuses requests 2, 4, 8, 9, 11, 12… at random (30 %), whatever the bucket says. */
const STORM = { queryLimit: 0.3, seed: 3 };

beforeEach(() => {
	releaseClock();
	portal().configure({ faults: { next: [] } });
	portal().clearRequests();
	portal().state.activeCalls.length = 0;
	portal().limits.reset();
	resetRateLimiters();
});

/**
 * Another application on this address spends the whole burst (51 requests pass, the counter is
 * full) right before the node starts; the counter stays full until the node's first request was
 * refused (see `clock`).
 */
async function anotherAppFillsTheBucket(): Promise<void> {
	freezeClock();
	for (let i = 0; i < PLAN_LIMITS.standard.burst + 1; i++) {
		const response = await fetch(`${portal().webhookUrl}profile.json`, { method: 'POST' });
		expect(response.status).toBe(200);
	}
	portal().clearRequests();
	portal().configure({ faults: STORM });
	void releaseClockOnceRefused();
}

async function releaseClockOnceRefused(): Promise<void> {
	const refused = () => portal().requests.some((r) => r.status === 503 && !r.fault);
	while (clock.frozenAt !== undefined && !refused())
		await new Promise((resolve) => setTimeout(resolve, 5));
	releaseClock();
}

function stormFigures() {
	const requests = portal().requests;
	return {
		/** Refused by the portal's bucket (it was full). */
		bucket503: requests.filter((r) => r.status === 503 && !r.fault).length,
		/** Refused at random. */
		random503: requests.filter((r) => r.status === 503 && r.fault === 'queryLimit').length,
		other: requests.filter((r) => r.status !== 503 && r.status !== 200).length,
	};
}

test.each([
	['without Continue On Fail (halt=1)', false],
	['with Continue On Fail (halt=0, each batch prepared while the previous one is in flight)', true],
])(
	'120 registers in batches %s: every 503 absorbed, each call registered exactly once, in order',
	async (_name, continueOnFail) => {
		await anotherAppFillsTheBucket();
		const items = callItems(120, `storm-${String(continueOnFail)}`);
		const result = await runNode({
			credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'standard' } },
			parameters: registerParameters(),
			items,
			continueOnFail,
		});

		expect(result.status).toBe('success');
		const figures = stormFigures();
		expect(figures.bucket503).toBeGreaterThan(0);
		expect(figures.random503).toBeGreaterThan(0);
		expect(figures.other).toBe(0);
		// Each batch was processed exactly once, with the items it should carry (the first one of
		// 20 while no server time is known).
		expect(processed(portal()).map(sentIds)).toEqual([
			items.slice(0, 20).map((i) => i.id),
			items.slice(20, 70).map((i) => i.id),
			items.slice(70).map((i) => i.id),
		]);
		expectOutputInOrder(result, items);
		expectEachRegisteredOnce(portal(), result, items);
	},
);

test('8 registers one request per item (batching off): every 503 absorbed, each call exactly once, in order', async () => {
	await anotherAppFillsTheBucket();
	const items = callItems(8, 'storm-single');
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'standard' } },
		parameters: registerParameters({ batching: false }),
		items,
	});

	expect(result.status).toBe('success');
	const figures = stormFigures();
	expect(figures.bucket503).toBeGreaterThan(0);
	expect(figures.random503).toBeGreaterThan(0);
	expect(figures.other).toBe(0);
	expect(processed(portal()).map(sentIds).flat()).toEqual(items.map((i) => i.id));
	expectOutputInOrder(result, items);
	expectEachRegisteredOnce(portal(), result, items);
});

test('a lost batch answer is repeated only because every register carries an EXTERNAL_CALL_ID: Bitrix24 deduplicates it', async () => {
	portal().configure({ faults: { next: ['dropConnection'] } });
	const items = callItems(3, 'drop');
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'standard' } },
		parameters: registerParameters(),
		items,
	});

	expect(result.status).toBe('success');
	// Processed twice (the first answer was lost), but one call each: the second register was
	// recognised by its EXTERNAL_CALL_ID within Bitrix24's 30-minute window.
	expect(portal().requests.map((r) => r.status)).toEqual([200, 200]);
	expectOutputInOrder(result, items);
	for (const [i, item] of items.entries()) {
		const calls = portal().state.activeCalls.filter((c) => c.externalCallId === item.id);
		expect(calls.map((c) => [c.callId, c.registerCount])).toEqual([
			[result.items[i].json.CALL_ID, 2],
		]);
	}
});

test('a lost batch answer is NOT repeated when a register has no EXTERNAL_CALL_ID: the items say so', async () => {
	portal().configure({ faults: { next: ['dropConnection'] } });
	const items = callItems(3, 'drop-noid');
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, plan: 'standard' } },
		parameters: { ...registerParameters(), additionalFields: { show: false, crmCreate: false } },
		items,
		continueOnFail: true,
	});

	expect(portal().requests).toHaveLength(1);
	expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	for (const output of result.items) {
		expect(output.json.error).toContain('it is unknown whether it was processed');
		expect(output.error?.description).toContain('could log the call twice');
	}
});
