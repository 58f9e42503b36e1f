/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * The import case (`npm run bench -- --import`): a CDR history of 10,000 rows through Call → Log
 * Completed Call, on a portal that counts server time (issue 23): register 0.2 s and finish 0.3 s
 * per call on the sandbox's virtual clock, the standard plan's request limit, and an operating
 * budget scaled down so that it binds within minutes (44 s per 60-s window, i.e. 0.73 of the
 * window where cloud portals allow 480 of 600 = 0.8; the window is the sandbox's test-speed knob).
 *
 * The portal's clock runs ahead of ours by the server time it spends (virtual), so the budget
 * limits the span of the portal's clock, not our wall time directly: the least wall time the
 * budget allows is the span it needs minus the server time the portal already "spent" in it.
 */
import { performance } from 'perf_hooks';

import { runNode } from '../test/helpers/workflowRunner';
import { sequentialFloorMs } from './floor';
import { RTT_MS } from './options';
import type { PortalClient } from './portalClient';
import { STANDARD } from './registers';

export const IMPORT_ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 10_000);
const SERVER_SECONDS = { register: 0.2, finish: 0.3 };
const BUDGET = { limitSeconds: 44, windowSeconds: 60 };
/** The node paces at this share of the budget (transport/pacing.ts). */
const PACE_AT = 0.8;

export interface ImportFigures {
	rows: number;
	wallMs: number;
	requests: number;
	status429: number;
	status503: number;
	status504: number;
	/** Calls finished more than once, plus calls registered but never finished. */
	doubles: number;
	failedItems: number;
	/** Least wall time by the request rate alone (one batch per 25 rows, back to back). */
	rateFloorMs: number;
	/** Least wall time by the budget at 100 % and at the node's 80 %. */
	budgetFloorMs: number;
	budgetFloorAtPaceMs: number;
	problems: string[];
}

/** Wall time the budget needs at `share` of it: its portal-clock span minus the virtual time. */
function budgetFloorMs(rows: number, share: number): number {
	const virtualSeconds = rows * (SERVER_SECONDS.register + SERVER_SECONDS.finish);
	const span = Math.max(
		...Object.values(SERVER_SECONDS).map(
			(perCall) =>
				Math.max(0, (rows * perCall) / (share * BUDGET.limitSeconds) - 1) * BUDGET.windowSeconds,
		),
	);
	return Math.max(0, span - virtualSeconds) * 1000;
}

export async function runImport(portal: PortalClient, rows = IMPORT_ROWS): Promise<ImportFigures> {
	const { webhookUrl } = await portal.start({
		seed: 'demo',
		rateLimit: { ...STANDARD },
		latencyMs: RTT_MS,
		serverTime: {
			perMethod: {
				'telephony.externalcall.register': SERVER_SECONDS.register,
				'telephony.externalcall.finish': SERVER_SECONDS.finish,
			},
		},
		operatingLimit: { ...BUDGET },
	});
	const input = Array.from({ length: rows }, (_, i) => ({
		phone: `+49302${String(i).padStart(7, '0')}`,
		id: `import-${i}`,
	}));
	const start = performance.now();
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl, plan: 'standard' } },
		parameters: {
			resource: 'call',
			operation: 'logCompletedCall',
			userIdentification: 'extension',
			userPhoneInner: '102',
			phoneNumber: '={{ $json.phone }}',
			type: 2,
			duration: 42,
			statusCode: '200',
			additionalFields: {
				externalCallId: '={{ $json.id }}',
				callStartDate: '2026-11-20T09:30:00+01:00',
			},
			options: { operatingBudget: BUDGET.limitSeconds },
		},
		items: input,
		continueOnFail: true,
	});
	const wallMs = performance.now() - start;
	const stats = await portal.stats();

	const problems: string[] = [];
	if (result.status !== 'success')
		problems.push(`status ${result.status}: ${result.error?.message}`);
	const failedItems = result.items.filter((item) => item.error !== undefined).length;
	if (failedItems > 0) problems.push(`${failedItems} items failed`);
	if (result.items.length !== rows) problems.push(`${result.items.length} items out of ${rows}`);
	const doubles = stats.finished - stats.distinctFinishedIds + stats.calls;
	if (stats.distinctFinishedIds !== rows)
		problems.push(`${stats.distinctFinishedIds} distinct calls finished of ${rows}`);
	return {
		rows,
		wallMs,
		requests: stats.requests,
		status429: stats.byStatus['429'] ?? 0,
		status503: stats.byStatus['503'] ?? 0,
		status504: stats.byStatus['504'] ?? 0,
		doubles,
		failedItems,
		rateFloorMs: sequentialFloorMs(Math.ceil(rows / 25), RTT_MS, STANDARD),
		budgetFloorMs: budgetFloorMs(rows, 1),
		budgetFloorAtPaceMs: budgetFloorMs(rows, PACE_AT),
		problems,
	};
}

export function importReport(run: ImportFigures): string {
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	return [
		`| Rows | Wall time | Least time the limits allow (rate / budget at 100 % / at the node's 80 %) | Requests | 429s | 503s | 504s | Doubles | Failed items |`,
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		`| ${run.rows.toLocaleString('en-US')} | ${s(run.wallMs)} | ${s(run.rateFloorMs)} / ${s(run.budgetFloorMs)} / ${s(run.budgetFloorAtPaceMs)} | ${run.requests} | ${run.status429} | ${run.status503} | ${run.status504} | ${run.doubles} | ${run.failedItems} |`,
		'',
		`Portal: register ${SERVER_SECONDS.register} s and finish ${SERVER_SECONDS.finish} s of server time per call (virtual clock), standard plan (burst ${STANDARD.burst}, ${STANDARD.drainPerSecond}/s), ${RTT_MS} ms per answer, operating budget ${BUDGET.limitSeconds} s per ${BUDGET.windowSeconds}-s window (the node told the same). Doubles: calls finished twice plus calls registered and never finished.`,
	].join('\n');
}
