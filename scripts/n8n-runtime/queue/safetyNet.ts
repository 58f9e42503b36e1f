/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * Everything a queue-mode run starts is registered here, and stopped here in reverse order.
 * Behind it stands reaper.js, a detached process that stops what is left if this process ends
 * without doing so itself (a crash, Ctrl-C, a CI timeout killing the test runner).
 */
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import type { BackgroundProcess } from '../processes';

interface Resource {
	name: string;
	stop(): Promise<void> | void;
	/** What the reaper must forget once this was stopped here. */
	releaseLine?: string;
}

export class SafetyNet {
	private readonly resources: Resource[] = [];
	private readonly reaper: ChildProcess;

	constructor() {
		this.reaper = spawn(process.execPath, [path.join(__dirname, 'reaper.js')], {
			detached: true,
			stdio: ['pipe', 'ignore', 'inherit'],
		});
		this.reaper.unref();
		// If the reaper cannot be told anything, the run must still stop what it started itself.
		this.reaper.stdin?.on('error', () => undefined);
	}

	private tell(line: string): void {
		if (this.reaper.stdin?.writable) this.reaper.stdin.write(`${line}\n`);
	}

	/** A background process (and its whole process group). */
	process(child: BackgroundProcess, stop: () => Promise<void> = () => child.stop()): void {
		if (child.pid === undefined) return;
		this.tell(`group ${child.pid}`);
		this.resources.push({ name: child.name, stop, releaseLine: `release ${child.pid}` });
	}

	/** A temporary folder, removed after everything that may use it has stopped. */
	dir(dir: string): void {
		this.tell(`dir ${dir}`);
		this.resources.push({
			name: dir,
			stop: () => fs.rmSync(dir, { recursive: true, force: true }),
			releaseLine: `undir ${dir}`,
		});
	}

	/** Anything else with a stop (an in-process server). */
	add(name: string, stop: () => Promise<void> | void): void {
		this.resources.push({ name, stop });
	}

	/**
	 * Stops one resource now (e.g. a worker, to measure with one fewer). Bounded by its own stop.
	 */
	async stopOne(name: string): Promise<void> {
		const index = this.resources.findIndex((resource) => resource.name === name);
		if (index === -1) return;
		const [resource] = this.resources.splice(index, 1);
		await resource.stop();
		if (resource.releaseLine) this.tell(resource.releaseLine);
	}

	/** Stops everything, newest first; one failure does not keep the rest running. */
	async stopAll(): Promise<void> {
		const errors: string[] = [];
		while (this.resources.length > 0) {
			const resource = this.resources.pop() as Resource;
			try {
				await resource.stop();
				if (resource.releaseLine) this.tell(resource.releaseLine);
			} catch (error) {
				errors.push(`${resource.name}: ${(error as Error).message}`);
			}
		}
		// The reaper stops whatever could not be stopped above, then exits.
		this.reaper.stdin?.end();
		if (errors.length > 0) throw new Error(`Stopping the queue-mode run:\n${errors.join('\n')}`);
	}
}
