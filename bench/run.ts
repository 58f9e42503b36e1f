/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * `npm run bench`: throughput of Call → Register under Bitrix24's limits (issue 5). Not a test:
 * it prints figures and asserts nothing (it does check every run's results and shouts if one is
 * wrong: a fast wrong answer is no benchmark).
 *
 * Against the sandbox portal (in its own process, like a real portal on another machine) with the
 * standard plan's limits (burst 50, drain 2/s) and 30 ms added to every answer, for each size it
 * runs, through n8n's engine (n8n-core's WorkflowExecute), N registers, each item its own number
 * and EXTERNAL_CALL_ID:
 *   - ours:     the node as users get it: batching on (50 registers per `batch` request), "On
 *               Error: Continue" (what a bulk import uses; each batch is prepared while the previous
 *               one is in flight). Also, up to BENCH_STOP_MODE_MAX, "On Error: Stop" (every item
 *               validated before the first request).
 *   - baseline: the same node with batching off: one request per item under the same client
 *               limiter, the best the HTTP Request node could do. Above BENCH_BASELINE_MAX it is
 *               projected from the bucket math, and marked so.
 * Then it measures what the node adds to a single register's round trip.
 *
 * Environment:
 *   BENCH_SIZES=1,100,1000,10000   sizes to run
 *   BENCH_BASELINE_MAX=1000        run the baseline up to this size, project it above
 *   BENCH_STOP_MODE_MAX=1000       also run "On Error: Stop" up to this size
 *   BENCH_OVERHEAD_REPS=60         single-register repetitions for the overhead figure
 */
import './env';

import * as http from 'http';
import { cpus, loadavg, totalmem } from 'os';
import { performance } from 'perf_hooks';
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { Bitrix24Telephony } from '../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { PLAN_LIMITS } from '../sandbox/limits';
import { runNode } from '../test/helpers/workflowRunner';
import {
	batchRequests,
	projectedSequentialMs,
	sequentialFloorMs,
	type PortalLimits,
} from './floor';
import { PortalClient } from './portalClient';

const RTT_MS = 30;
const STANDARD: PortalLimits = PLAN_LIMITS.standard;

function envList(name: string, fallback: number[]): number[] {
	const raw = process.env[name];
	if (!raw) return fallback;
	return raw
		.split(',')
		.map((part) => Number(part.trim().replace(/_/g, '')))
		.filter((n) => Number.isInteger(n) && n > 0);
}
const SIZES = envList('BENCH_SIZES', [1, 100, 1000, 10000]);
const BASELINE_MAX = Number(process.env.BENCH_BASELINE_MAX ?? 1000);
const STOP_MODE_MAX = Number(process.env.BENCH_STOP_MODE_MAX ?? 1000);
const OVERHEAD_REPS = Number(process.env.BENCH_OVERHEAD_REPS ?? 60);

// ---------------------------------------------------------------------------------------------
// Measuring.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** process.memoryUsage() every 20 ms, from before the run until our node returns. */
class MemorySampler {
	private readonly timer: NodeJS.Timeout;
	private readonly rss0: number;
	private readonly heap0: number;
	private peakRss: number;
	private peakHeap: number;

	constructor() {
		gc();
		gc();
		const m = process.memoryUsage();
		this.rss0 = this.peakRss = m.rss;
		this.heap0 = this.peakHeap = m.heapUsed;
		this.timer = setInterval(() => this.sample(), 20);
	}

	private sample(): void {
		const m = process.memoryUsage();
		this.peakRss = Math.max(this.peakRss, m.rss);
		this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
	}

	finish(): void {
		this.sample();
		clearInterval(this.timer);
	}

	result(): { peakRssMb: number; rssGrowthMb: number; heapGrowthMb: number } {
		const mb = (bytes: number) => bytes / 1024 / 1024;
		return {
			peakRssMb: mb(this.peakRss),
			rssGrowthMb: mb(this.peakRss - this.rss0),
			heapGrowthMb: mb(this.peakHeap - this.heap0),
		};
	}
}

/** Wall time of every execution of our node, measured around its execute(). */
const nodeTimes: number[] = [];
let activeSampler: MemorySampler | undefined;
const originalExecute = Bitrix24Telephony.prototype.execute;
Bitrix24Telephony.prototype.execute = async function timed(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const start = performance.now();
	try {
		return await originalExecute.call(this);
	} finally {
		nodeTimes.push(performance.now() - start);
		activeSampler?.finish();
	}
};

interface RunFigures {
	items: number;
	/** Our node's execution time. */
	ms: number;
	/** The whole workflow run (engine, trigger, source node, our node, the test harness's checks). */
	workflowMs: number;
	requests: number;
	commands: number;
	status503: number;
	peakCounter: number;
	/** The portal's own time per request (`time.duration` of each answer), in order. */
	portalMs: number[];
	memory: ReturnType<MemorySampler['result']>;
}

function registerParameters(batching: boolean): INodeParameters {
	return {
		resource: 'call',
		operation: 'register',
		userIdentification: 'extension',
		userPhoneInner: '101',
		phoneNumber: '={{ $json.phone }}',
		type: 2,
		additionalFields: { externalCallId: '={{ $json.id }}', show: false, crmCreate: false },
		options: { batching },
	};
}

/** N registers, each item its own number and EXTERNAL_CALL_ID, through the engine, on a fresh portal. */
async function runRegisters(
	portal: PortalClient,
	items: number,
	mode: { batching: boolean; continueOnFail: boolean },
	tag: string,
): Promise<RunFigures> {
	const { webhookUrl } = await portal.start({
		seed: 'demo',
		rateLimit: { ...STANDARD },
		latencyMs: RTT_MS,
	});
	const input = Array.from({ length: items }, (_, i) => ({
		phone: `+49301${String(i).padStart(7, '0')}`,
		id: `${tag}-${i}`,
	}));
	const memory = new MemorySampler();
	activeSampler = memory;
	nodeTimes.length = 0;
	const start = performance.now();
	const result = await runNode({
		credentials: { bitrix24WebhookApi: { webhookUrl, plan: 'standard' } },
		parameters: registerParameters(mode.batching),
		items: input,
		continueOnFail: mode.continueOnFail,
	});
	const workflowMs = performance.now() - start;
	memory.finish();
	activeSampler = undefined;
	const stats = await portal.stats();

	const problems: string[] = [];
	if (result.status !== 'success')
		problems.push(`status ${result.status}: ${result.error?.message}`);
	if (result.items.length !== items) problems.push(`${result.items.length} items out of ${items}`);
	const failed = result.items.filter((item) => typeof item.json.CALL_ID !== 'string');
	if (failed.length)
		problems.push(
			`${failed.length} items without CALL_ID, e.g. ${JSON.stringify(failed[0].json).slice(0, 200)}`,
		);
	const misordered = result.items.findIndex(
		(item, i) =>
			(item.pairedItem as { item: number }).item !== i ||
			(item.json.call as { phoneNumber?: string })?.phoneNumber !== input[i].phone,
	);
	if (misordered !== -1) problems.push(`item ${misordered} out of order or unpaired`);
	if (
		stats.calls !== items ||
		stats.distinctExternalIds !== items ||
		stats.maxRegisterCount !== 1
	) {
		problems.push(
			`portal has ${stats.calls} calls, ${stats.distinctExternalIds} distinct ids, max registerCount ${stats.maxRegisterCount}`,
		);
	}
	if (problems.length) console.error(`\n  !! ${tag}: ${problems.join('; ')}`);

	return {
		items,
		ms: nodeTimes[0] ?? workflowMs,
		workflowMs,
		requests: stats.requests,
		commands: stats.batchCommands,
		status503: stats.byStatus['503'] ?? 0,
		peakCounter: stats.limits.peakCounter,
		portalMs: stats.processingMs,
		memory: memory.result(),
	};
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)];
}
function percentile(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** One POST as the node sends it (JSON body, Node's keep-alive global agent), timed. */
function rawRegister(url: string, body: Record<string, unknown>): Promise<number> {
	const payload = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const request = http.request(
			url,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					Accept: 'application/json',
					'Content-Length': Buffer.byteLength(payload),
				},
			},
			(response) => {
				const chunks: Buffer[] = [];
				response.on('data', (chunk: Buffer) => chunks.push(chunk));
				response.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					const elapsed = performance.now() - start;
					if (!(JSON.parse(text) as { result?: unknown }).result)
						reject(new Error(`raw register failed: ${text}`));
					else resolve(elapsed);
				});
			},
		);
		request.on('error', reject);
		request.end(payload);
	});
}

/**
 * What the node adds to one register: its execution time minus the raw HTTP round trip of the
 * same request to the same portal, interleaved, medians over `reps`. Enterprise limits (and plan)
 * so that no limiter wait enters either figure.
 */
async function measureOverhead(portal: PortalClient, reps: number) {
	const { webhookUrl } = await portal.start({
		seed: 'demo',
		rateLimit: { ...PLAN_LIMITS.enterprise },
		latencyMs: RTT_MS,
	});
	const node: number[] = [];
	const raw: number[] = [];
	const warmup = 5;
	for (let i = 0; i < reps + warmup; i++) {
		nodeTimes.length = 0;
		const result = await runNode({
			credentials: { bitrix24WebhookApi: { webhookUrl, plan: 'enterprise' } },
			parameters: registerParameters(true),
			items: [{ phone: `+49302${String(i).padStart(7, '0')}`, id: `one-node-${i}` }],
		});
		if (typeof result.items[0]?.json.CALL_ID !== 'string')
			throw new Error(`single register failed: ${result.error?.message}`);
		const rawMs = await rawRegister(`${webhookUrl}telephony.externalcall.register.json`, {
			USER_PHONE_INNER: '101',
			PHONE_NUMBER: `+49303${String(i).padStart(7, '0')}`,
			TYPE: 2,
			SHOW: 0,
			CRM_CREATE: 0,
			EXTERNAL_CALL_ID: `one-raw-${i}`,
		});
		if (i >= warmup) {
			node.push(nodeTimes[0]);
			raw.push(rawMs);
		}
	}
	return {
		nodeMedian: median(node),
		nodeP90: percentile(node, 90),
		rawMedian: median(raw),
		rawP90: percentile(raw, 90),
		addedMedian: median(node) - median(raw),
	};
}

// ---------------------------------------------------------------------------------------------
// Output.

const seconds = (ms: number) =>
	ms >= 10_000
		? `${(ms / 1000).toFixed(1)} s`
		: ms >= 1000
			? `${(ms / 1000).toFixed(2)} s`
			: `${ms.toFixed(0)} ms`;
const minutesOrSeconds = (ms: number) =>
	ms >= 120_000 ? `${(ms / 60_000).toFixed(1)} min` : seconds(ms);
const times = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;
const int = (n: number) => n.toLocaleString('en');
const plural = (n: number, word: string) => `${int(n)} ${word}${n === 1 ? '' : 's'}`;

interface Row {
	items: number;
	ours: RunFigures;
	stopMode?: RunFigures;
	floorMs: number;
	floorWithPortalMs: number;
	baseline: { ms: number; requests: number; status503: number; projected: boolean };
}

function markdownTable(rows: Row[]): string {
	const lines = [
		"| Registers | Our time | HTTP requests | 503s | Floor | Ours ÷ floor | Portal's own time | Ours ÷ (floor + portal time) | Baseline: 1 request per item | Baseline ÷ ours | Peak RSS (growth) | Heap growth |",
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const row of rows) {
		const { ours, baseline } = row;
		const base = baseline.projected
			? `${minutesOrSeconds(baseline.ms)}, ${plural(baseline.requests, 'request')} (projected)`
			: `${minutesOrSeconds(baseline.ms)}, ${plural(baseline.requests, 'request')}, ${baseline.status503} × 503`;
		lines.push(
			[
				'',
				int(row.items),
				seconds(ours.ms),
				int(ours.requests),
				ours.status503,
				seconds(row.floorMs),
				times(ours.ms / row.floorMs),
				seconds(sum(ours.portalMs)),
				times(ours.ms / row.floorWithPortalMs),
				base,
				times(baseline.ms / ours.ms),
				`${ours.memory.peakRssMb.toFixed(0)} MB (+${ours.memory.rssGrowthMb.toFixed(0)} MB)`,
				`${ours.memory.heapGrowthMb.toFixed(0)} MB`,
				'',
			]
				.join(' | ')
				.trim(),
		);
	}
	return lines.join('\n');
}

async function main(): Promise<void> {
	const portal = new PortalClient();
	console.log('# Bitrix24 Telephony throughput benchmark');
	console.log(
		`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB, Node ${process.version}, ${process.platform}; load average at start ${loadavg()[0].toFixed(2)}`,
	);
	console.log(
		`portal: sandbox in its own process, standard plan limits (burst ${STANDARD.burst}, drain ${STANDARD.drainPerSecond}/s), ${RTT_MS} ms added to every answer`,
	);
	console.log(
		`sizes: ${SIZES.join(', ')}; baseline run up to ${BASELINE_MAX} (projected above); "On Error: Stop" run up to ${STOP_MODE_MAX}`,
	);
	console.log('');

	// First the single register: it also gives the per-request time the projection uses.
	process.stdout.write(`one register, node vs raw HTTP (${OVERHEAD_REPS} reps)… `);
	const overhead = await measureOverhead(portal, OVERHEAD_REPS);
	console.log(`node ${overhead.nodeMedian.toFixed(1)} ms, raw ${overhead.rawMedian.toFixed(1)} ms`);

	const rows: Row[] = [];
	for (const items of SIZES) {
		process.stdout.write(`${int(items)} registers: ours… `);
		const ours = await runRegisters(
			portal,
			items,
			{ batching: true, continueOnFail: true },
			`ours-${items}`,
		);
		process.stdout.write(`${seconds(ours.ms)}; `);
		let stopMode: RunFigures | undefined;
		if (items <= STOP_MODE_MAX) {
			process.stdout.write('on error stop… ');
			stopMode = await runRegisters(
				portal,
				items,
				{ batching: true, continueOnFail: false },
				`stop-${items}`,
			);
			process.stdout.write(`${seconds(stopMode.ms)}; `);
		}
		process.stdout.write('baseline… ');
		let baseline: Row['baseline'];
		if (items <= BASELINE_MAX) {
			const run = await runRegisters(
				portal,
				items,
				{ batching: false, continueOnFail: true },
				`base-${items}`,
			);
			baseline = { ms: run.ms, requests: run.requests, status503: run.status503, projected: false };
			console.log(
				`${minutesOrSeconds(run.ms)} (the projection says ${minutesOrSeconds(projectedSequentialMs(items, overhead.nodeMedian, STANDARD))})`,
			);
		} else {
			baseline = {
				ms: projectedSequentialMs(items, overhead.nodeMedian, STANDARD),
				requests: items,
				status503: 0,
				projected: true,
			};
			console.log(`projected ${minutesOrSeconds(baseline.ms)}`);
		}
		const requests = batchRequests(items);
		rows.push({
			items,
			ours,
			stopMode,
			floorMs: sequentialFloorMs(requests, RTT_MS, STANDARD),
			floorWithPortalMs: sequentialFloorMs(
				requests,
				(k) => RTT_MS + (ours.portalMs[k] ?? 0),
				STANDARD,
			),
			baseline,
		});
	}
	await portal.close();

	console.log('');
	console.log(markdownTable(rows));
	console.log('');
	console.log(
		`One register (the real-time case), medians of ${OVERHEAD_REPS}: node execution ${overhead.nodeMedian.toFixed(1)} ms, raw HTTP round trip of the same request ${overhead.rawMedian.toFixed(1)} ms → the node adds ${overhead.addedMedian.toFixed(1)} ms (p90 ${overhead.nodeP90.toFixed(1)} vs ${overhead.rawP90.toFixed(1)} ms).`,
	);
	console.log('');
	console.log('Details:');
	for (const row of rows) {
		const { ours, stopMode } = row;
		console.log(
			`  ${int(row.items)}: node ${ours.ms.toFixed(0)} ms (whole workflow ${ours.workflowMs.toFixed(0)} ms); ${plural(ours.requests, 'request')} carrying ${plural(ours.commands, 'batched command')}; portal's peak counter ${ours.peakCounter.toFixed(1)} of ${STANDARD.burst}; floor + portal time ${seconds(row.floorWithPortalMs)}` +
				(stopMode
					? `; "On Error: Stop" ${seconds(stopMode.ms)} = ${times(stopMode.ms / row.floorMs)} floor, ${times(stopMode.ms / sequentialFloorMs(batchRequests(row.items), (k) => RTT_MS + (stopMode.portalMs[k] ?? 0), STANDARD))} (floor + portal time), ${plural(stopMode.requests, 'request')}, ${stopMode.status503} × 503`
					: ''),
		);
	}
	console.log('');
	console.log(
		[
			'Our time: execution time of our node, from the engine calling it to its output, "On Error: Continue", batching on. ',
			`Floor: the earliest moment a client that costs nothing itself could have the last answer, sending the same number of requests one after another: each request goes at max(answer of the previous one, the moment Bitrix24's bucket admits it), the bucket starting empty, draining continuously at ${STANDARD.drainPerSecond}/s and admitting a request while its counter is at most ${STANDARD.burst}; each then takes the ${RTT_MS} ms round trip. `,
			"Portal's own time: the sum of the `time.duration` the portal reported in its answers (it processes 50 registers per batch); floor + portal time is the same schedule with each round trip lengthened by the portal's time for that request. ",
			'Baseline: the same node with batching off (one request per item, same client limiter, same portal); ',
			`projected = the client limiter's own code run on a simulated clock, each request taking the measured single-register node time (${overhead.nodeMedian.toFixed(1)} ms). `,
			'Memory: sampled every 20 ms from just before the run until the node returns; growth over the value before the run, after a forced GC.',
		].join(''),
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
