/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/** Memory of the bench process while our node runs: peak RSS and heap over a value taken after GC. */
import { setFlagsFromString } from 'v8';
import { runInNewContext } from 'vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export interface MemoryFigures {
	peakRssMb: number;
	rssGrowthMb: number;
	heapGrowthMb: number;
}

/** process.memoryUsage() every 20 ms, from before the run until `finish`. */
export class MemorySampler {
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

	result(): MemoryFigures {
		const mb = (bytes: number) => bytes / 1024 / 1024;
		return {
			peakRssMb: mb(this.peakRss),
			rssGrowthMb: mb(this.peakRss - this.rss0),
			heapGrowthMb: mb(this.peakHeap - this.heap0),
		};
	}
}
