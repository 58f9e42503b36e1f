/**
 * Fault injection for resilience tests: random (seeded) or queued faults per REST request.
 */
import type { FaultKind, FaultOptions, RawFault } from './types';

export type Fault = { kind: FaultKind } | { kind: 'raw'; raw: RawFault };

/** Faults answered without processing, in the order the random draw checks them. */
const RANDOM_ORDER: FaultKind[] = [
	'queryLimit',
	'serverError',
	'htmlPage',
	'dropBeforeProcessing',
	'dropConnection',
	'hang',
];

const DEFAULT_HANG_MS = 30000;

export class FaultInjector {
	private options: FaultOptions = {};
	private queue: Array<FaultKind | RawFault> = [];
	private random: () => number = mulberry32(Date.now());

	configure(options: FaultOptions): void {
		this.options = { ...options };
		this.queue = [...(options.next ?? [])];
		this.random = mulberry32(options.seed ?? Date.now());
	}

	get hangMs(): number {
		return this.options.hangMs ?? DEFAULT_HANG_MS;
	}

	/** The fault for the next request, or null. Queued faults come first. */
	pick(): Fault | null {
		const queued = this.queue.shift();
		if (queued !== undefined)
			return typeof queued === 'string' ? { kind: queued } : { kind: 'raw', raw: queued };
		if (
			!RANDOM_ORDER.some(
				(kind) => (this.options[kind as keyof FaultOptions] as number | undefined) ?? 0,
			)
		)
			return null;
		let draw = this.random();
		for (const kind of RANDOM_ORDER) {
			const probability = (this.options[kind as keyof FaultOptions] as number | undefined) ?? 0;
			if (draw < probability) return { kind };
			draw -= probability;
		}
		return null;
	}
}

/** Small seeded PRNG (mulberry32): reproducible fault sequences. */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
