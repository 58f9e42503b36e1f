/** How the bench prints: one markdown table, both modes side by side, and the N = 1 breakdown. */
import type { Overhead } from './overhead';
import type { Mode } from './options';
import type { RunFigures } from './registers';

const seconds = (ms: number) =>
	ms >= 10_000
		? `${(ms / 1000).toFixed(1)} s`
		: ms >= 1000
			? `${(ms / 1000).toFixed(2)} s`
			: `${ms.toFixed(0)} ms`;
const times = (x: number) => `${x.toFixed(2)}×`;
const int = (n: number) => n.toLocaleString('en');
const mb = (n: number) => `${n.toFixed(0)} MB`;

export function runLine(run: RunFigures): string {
	return `${seconds(run.ms)} (floor ${seconds(run.floorMs)}, ${times(run.ms / run.floorMs)})`;
}

export function markdownTable(rows: Array<Record<Mode, RunFigures>>): string {
	const lines = [
		'| Registers | Requests | Floor | On Error: Stop | ÷ floor | 1st request after | 503s | RSS growth | Continue On Fail | ÷ floor | 1st request after | 503s | RSS growth |',
		'|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const { stop, continue: cont } of rows) {
		lines.push(
			`| ${int(stop.items)} | ${int(stop.requests)} | ${seconds(stop.floorMs)} | ${seconds(stop.ms)} | ${times(stop.ms / stop.floorMs)} | ${seconds(stop.firstRequestMs)} | ${stop.status503} | ${mb(stop.memory.rssGrowthMb)} | ${seconds(cont.ms)} | ${times(cont.ms / cont.floorMs)} | ${seconds(cont.firstRequestMs)} | ${cont.status503} | ${mb(cont.memory.rssGrowthMb)} |`,
		);
	}
	return lines.join('\n');
}

const PHASE_NAMES: Record<keyof Overhead['phases'], string> = {
	nodeParameters: 'node parameters (authentication, options)',
	itemParameters: "the item's fields (n8n's getNodeParameter, expressions)",
	validation: 'validation and the command',
	credentials: 'the credential (getCredentials)',
	http: 'HTTP through n8n (httpRequestWithAuthentication)',
	redaction: 'redaction of the answer',
	rest: 'the rest (executor, limiter, classification, output)',
};

export function overheadReport(overhead: Overhead, reps: number): string {
	const lines = [
		`One register, medians of ${reps}: node ${overhead.nodeMedian.toFixed(1)} ms, raw HTTP round trip of the same request ${overhead.rawMedian.toFixed(1)} ms → the node adds **${overhead.addedMedian.toFixed(1)} ms** (p90 ${overhead.nodeP90.toFixed(1)} vs ${overhead.rawP90.toFixed(1)} ms).`,
		'',
		'| Phase (N = 1, median) | ms |',
		'|---|---:|',
	];
	for (const [key, name] of Object.entries(PHASE_NAMES)) {
		lines.push(`| ${name} | ${overhead.phases[key as keyof Overhead['phases']].toFixed(2)} |`);
	}
	lines.push(
		`| of which HTTP beyond the raw round trip | ${(overhead.phases.http - overhead.rawMedian).toFixed(2)} |`,
	);
	return lines.join('\n');
}

export function problemsOf(run: RunFigures): string {
	return run.problems.length ? `\n  !! ${run.mode}-${run.items}: ${run.problems.join('; ')}` : '';
}
