/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * What `npm run bench` runs. Sizes 1, 100 and 1,000 by default; `--10000` (or `--large`) adds
 * 10,000 registers (about 80 s per mode). Environment variables override for experiments.
 */
function envList(name: string): number[] | undefined {
	const raw = process.env[name];
	if (!raw) return undefined;
	return raw
		.split(',')
		.map((part) => Number(part.trim().replace(/_/g, '')))
		.filter((n) => Number.isInteger(n) && n > 0);
}

const large = process.argv.includes('--10000') || process.argv.includes('--large');

export const RTT_MS = 30;
export const SIZES = envList('BENCH_SIZES') ?? (large ? [1, 100, 1000, 10000] : [1, 100, 1000]);
/** Repetitions of the single-register measurement; the figure is their median. */
export const OVERHEAD_REPS = Number(process.env.BENCH_OVERHEAD_REPS ?? 60);
/** Requests replayed back to back to measure the floor (they must fit in the portal's burst). */
export const REPLAY_MAX = 40;

export type Mode = 'stop' | 'continue';
export const MODES: Mode[] = ['stop', 'continue'];
