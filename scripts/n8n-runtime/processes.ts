/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * Child processes for the e2e suite and the demo: one-shot commands with their output captured,
 * and long-running servers in a process group of their own, so that stopping one also stops
 * what it started (n8n starts a task broker and task runners).
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'child_process';
import { createServer } from 'net';

export interface CommandResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Let the child's stderr through to ours too (progress of long steps). */
	showStderr?: boolean;
}

/** Runs a command to its end; never rejects on a non-zero exit code (callers decide). */
export function runCommand(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<CommandResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr?.on('data', (chunk: Buffer) => {
			stderr += chunk.toString();
			if (options.showStderr) process.stderr.write(chunk);
		});
		child.on('error', reject);
		child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
	});
}

/** Like runCommand, but a non-zero exit code is an error that shows the output. */
export async function runChecked(
	command: string,
	args: string[],
	options: RunOptions = {},
): Promise<CommandResult> {
	const result = await runCommand(command, args, options);
	if (result.code !== 0) {
		throw new Error(
			`${command} ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/** A long-running child in its own process group; its output is kept for later checks. */
export class BackgroundProcess {
	private output = '';
	private exited: Promise<number | null>;
	private exitCode: number | null | undefined;

	constructor(
		readonly name: string,
		private readonly child: ChildProcess,
	) {
		const collect = (chunk: Buffer) => (this.output += chunk.toString());
		child.stdout?.on('data', collect);
		child.stderr?.on('data', collect);
		this.exited = new Promise((resolve) => {
			child.on('exit', (code) => {
				this.exitCode = code;
				resolve(code);
			});
		});
	}

	static start(
		name: string,
		command: string,
		args: string[],
		options: SpawnOptions,
	): BackgroundProcess {
		// detached: the child leads a new process group, which stop() signals as a whole.
		const child = spawn(command, args, {
			...options,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		return new BackgroundProcess(name, child);
	}

	get log(): string {
		return this.output;
	}

	get running(): boolean {
		return this.exitCode === undefined;
	}

	/** SIGTERM to the whole group, SIGKILL if it is still there after `graceMs`. Safe to call twice. */
	async stop(graceMs = 10000): Promise<void> {
		if (!this.running || this.child.pid === undefined) return;
		const group = -this.child.pid;
		signalGroup(group, 'SIGTERM');
		const timer = new Promise<'timeout'>((resolve) =>
			setTimeout(() => resolve('timeout'), graceMs).unref(),
		);
		if ((await Promise.race([this.exited, timer])) === 'timeout') {
			signalGroup(group, 'SIGKILL');
			await this.exited;
		}
		// The leader is gone; runners it started may still be shutting down.
		signalGroup(group, 'SIGKILL');
	}
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
	try {
		process.kill(group, signal);
	} catch {
		// The group is already gone.
	}
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				typeof address === 'object' && address
					? resolve(address.port)
					: reject(new Error('no port')),
			);
		});
	});
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function portIsFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	probe: () => Promise<T | undefined> | T | undefined,
	timeoutMs: number,
	intervalMs = 250,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			lastError = error;
		}
		if (Date.now() > deadline) {
			const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
			throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
		}
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
}
