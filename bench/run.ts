/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, no-console -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * `npm run bench`: throughput of Call → Register under Bitrix24's limits, in both error modes
 * ("On Error: Stop", the default, and "Continue On Fail"), N = 1, 100, 1,000 (and 10,000 with
 * `--10000`), plus what the node adds to a single register and where that time goes. Not a
 * test: it prints figures and asserts nothing, but it checks every run's results and shouts
 * (`!!`) if one is wrong.
 *
 * The portal is the sandbox in its own process (like a real portal on another machine) with the
 * standard plan's limits (burst 50, drain 2/s) and 30 ms added to every answer. The floor of a run
 * is the node's own requests replayed back to back by a client that costs nothing (plain HTTP),
 * under the portal's bucket (see floor.ts).
 */
import './env';

import { cpus, loadavg, totalmem } from 'os';

import { importReport, IMPORT_ROWS, runImport } from './imports';
import { measureOverhead } from './overhead';
import { MODES, OVERHEAD_REPS, RTT_MS, SIZES, type Mode } from './options';
import { PortalClient } from './portalClient';
import { runRegisters, STANDARD, type RunFigures } from './registers';
import { markdownTable, overheadReport, problemsOf, runLine } from './report';

async function importCase(portal: PortalClient): Promise<void> {
	process.stdout.write(`${IMPORT_ROWS} Log Completed Call rows under server time and a budget… `);
	const run = await runImport(portal);
	console.log(
		`${(run.wallMs / 1000).toFixed(1)} s${run.problems.length ? ` !! ${run.problems.join('; ')}` : ''}`,
	);
	await portal.close();
	console.log('');
	console.log(importReport(run));
}

async function main(): Promise<void> {
	const portal = new PortalClient();
	if (process.argv.includes('--import')) {
		console.log(
			`# Bitrix24 Telephony import benchmark\nmachine: ${cpus().length} cores, Node ${process.version}; load average at start ${loadavg()[0].toFixed(2)}; ${new Date().toISOString()}`,
		);
		return await importCase(portal);
	}
	console.log('# Bitrix24 Telephony throughput benchmark');
	console.log(
		`machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB, Node ${process.version}, ${process.platform}; load average at start ${loadavg()[0].toFixed(2)}; ${new Date().toISOString().slice(0, 10)}`,
	);
	console.log(
		`portal: sandbox in its own process, standard plan limits (burst ${STANDARD.burst}, drain ${STANDARD.drainPerSecond}/s), ${RTT_MS} ms added to every answer; sizes ${SIZES.join(', ')}`,
	);
	console.log('');

	process.stdout.write(`one register, node vs raw HTTP (${OVERHEAD_REPS} reps)… `);
	const overhead = await measureOverhead(portal, OVERHEAD_REPS);
	console.log(`adds ${overhead.addedMedian.toFixed(1)} ms`);

	const rows: Array<Record<Mode, RunFigures>> = [];
	for (const items of SIZES) {
		const row = {} as Record<Mode, RunFigures>;
		for (const mode of MODES) {
			process.stdout.write(`${items} registers, ${mode}… `);
			row[mode] = await runRegisters(portal, items, mode);
			console.log(`${runLine(row[mode])}${problemsOf(row[mode])}`);
		}
		rows.push(row);
	}
	await portal.close();

	console.log('');
	console.log(markdownTable(rows));
	console.log('');
	console.log(overheadReport(overhead, OVERHEAD_REPS));
	console.log('');
	console.log(
		"Node time: our node's execution, from the engine calling it to its output. Floor: the node's own requests (those answered 200) replayed one after another by plain HTTP on a fresh portal (up to 40, repeating their round trips beyond), each sent at max(previous answer, the moment the portal's bucket admits it). RSS growth: peak while the node runs over the value before the run, after a forced GC.",
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error);
		process.exit(1);
	},
);
