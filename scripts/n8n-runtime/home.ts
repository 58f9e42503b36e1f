/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * A throwaway n8n user folder (N8N_USER_FOLDER) with our package installed as a community
 * package, and the n8n CLI commands run against it: import, publish, execute.
 *
 * The package is installed the way n8n installs community packages: into `.n8n/nodes`, whose
 * package.json lists it, so its node types are `n8n-nodes-bitrix24-telephony.<node>`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { freePort, runChecked, runCommand, type CommandResult } from './processes';
import { n8nMajor, type N8nRuntime } from './runtime';

/** Fixed, so that credentials imported by one command are readable by the next. Test-only. */
const ENCRYPTION_KEY = 'n8n-nodes-bitrix24-telephony-e2e-key';

export interface CredentialData {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

/** The parts of a workflow file this code reads; the rest passes through untouched. */
export interface WorkflowFile {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		[key: string]: unknown;
	}>;
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

/** What `n8n execute --rawOutput` printed: the run, whether it failed or not. */
export interface ExecuteResult extends CommandResult {
	run: N8nRun;
}

export interface N8nRun {
	status?: string;
	data: {
		resultData: {
			runData: Record<string, N8nTaskData[]>;
			error?: { message: string; description?: string; [key: string]: unknown };
			lastNodeExecuted?: string;
		};
	};
}

export interface N8nTaskData {
	executionStatus?: string;
	error?: { message: string; description?: string; [key: string]: unknown };
	data?: {
		main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null>;
	};
}

export class N8nHome {
	/** Everything every n8n command printed, for the "no secret in any output" check. */
	readonly outputs: string[] = [];
	/** Settings every n8n process of this home gets (queue mode: the shared database and Redis). */
	readonly settings: Record<string, string> = {};

	private constructor(
		readonly runtime: N8nRuntime,
		readonly dir: string,
	) {}

	/** A fresh user folder under the OS temp dir, with the tarball installed. */
	static async create(
		runtime: N8nRuntime,
		tarball: string,
		parentDir = os.tmpdir(),
	): Promise<N8nHome> {
		const dir = fs.mkdtempSync(path.join(parentDir, `n8n-home-${runtime.name}-`));
		const home = new N8nHome(runtime, dir);
		await home.installPackage(tarball);
		return home;
	}

	get nodesDir(): string {
		return path.join(this.dir, '.n8n', 'nodes');
	}

	/** The environment of every n8n process of this home. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		return {
			// n8n starts its task runners with `node` from PATH: it must be the runtime's Node.
			PATH: [path.dirname(this.runtime.node), process.env.PATH].join(path.delimiter),
			HOME: process.env.HOME,
			TZ: 'UTC',
			N8N_USER_FOLDER: this.dir,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			// Without this n8n warns about the permissions of its own config file on every command.
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			...this.settings,
			...extra,
		};
	}

	/** Runs `n8n <args>` on the runtime's own Node. Each command gets its own task-broker port. */
	async cli(args: string[]): Promise<CommandResult> {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		const result = await runCommand(this.runtime.node, [this.runtime.n8nBin, ...args], {
			cwd: this.dir,
			env,
		});
		this.outputs.push(result.stdout, result.stderr);
		return result;
	}

	async cliChecked(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0)
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
			);
		return result;
	}

	/** Plain credential data; n8n encrypts it on import, and the plain file is deleted at once. */
	async importCredentials(credentials: CredentialData[]): Promise<void> {
		const file = this.writeTemp('credentials.json', credentials);
		try {
			await this.cliChecked(['import:credentials', `--input=${file}`]);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/** All workflows in one command: each n8n command costs seconds of startup. */
	async importWorkflows(workflows: WorkflowFile[]): Promise<void> {
		await this.cliChecked([
			'import:workflow',
			`--input=${this.writeTemp('workflows.json', workflows)}`,
		]);
	}

	/**
	 * Marks a workflow active (2.x: "published"); `n8n start` then registers its webhooks.
	 * n8n 1.x has no `publish:workflow`: it activates with `update:workflow --active=true`
	 * (2.0 replaced that command, docs `changelog/v20-breaking-changes.md`).
	 */
	async publishWorkflow(id: string): Promise<void> {
		await this.cliChecked(
			n8nMajor(this.runtime) < 2
				? ['update:workflow', `--id=${id}`, '--active=true']
				: ['publish:workflow', `--id=${id}`],
		);
	}

	/** `n8n execute --id … --rawOutput`; exit code 1 means the workflow failed, and the run is still there. */
	async execute(id: string): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${id}`, '--rawOutput']);
		return { ...result, run: parseRun(result) };
	}

	remove(): void {
		fs.rmSync(this.dir, { recursive: true, force: true });
	}

	private async installPackage(tarball: string): Promise<void> {
		fs.mkdirSync(this.nodesDir, { recursive: true });
		fs.writeFileSync(
			path.join(this.nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
		// As n8n does: no lifecycle scripts, no peer dependencies (n8n-workflow is n8n's own), no lockfile.
		await runChecked(
			'npm',
			[
				'install',
				tarball,
				'--ignore-scripts',
				'--legacy-peer-deps',
				'--no-audit',
				'--no-fund',
				'--package-lock=false',
				'--loglevel=error',
			],
			{ cwd: this.nodesDir },
		);
	}

	private writeTemp(name: string, content: unknown): string {
		const file = path.join(this.dir, name);
		fs.writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	}
}

/**
 * The run JSON is printed with 2-space indentation among log lines (before it, and after it on
 * failure): it starts with `{` + `"data"` on the next line, and ends at the first line that is
 * exactly "}" (only the outermost braces are unindented).
 */
export function parseRun(result: CommandResult): N8nRun {
	const bounds = runJsonBounds(result.stdout);
	if (!bounds)
		throw new Error(
			`n8n execute printed no run (exit code ${result.code})\n${result.stdout}\n${result.stderr}`,
		);
	return JSON.parse(result.stdout.slice(...bounds)) as N8nRun;
}

/** Where the run JSON sits in stdout, as slice bounds, or undefined when there is none. */
function runJsonBounds(stdout: string): [number, number] | undefined {
	const start = stdout.indexOf('{\n  "data"');
	const end = start === -1 ? -1 : stdout.indexOf('\n}', start);
	return start === -1 || end === -1 ? undefined : [start, end + 2];
}

/** What `n8n execute` printed besides the run JSON: its log lines, and stderr. */
export function logAroundRun({ stdout, stderr }: CommandResult): string {
	const bounds = runJsonBounds(stdout);
	const log = bounds ? stdout.slice(0, bounds[0]) + stdout.slice(bounds[1]) : stdout;
	return `${log.trim()}\n${stderr.trim()}`.trim();
}

/** The items a node output on its first run (output 0 unless told). */
export function nodeOutput(
	run: N8nRun,
	nodeName: string,
	output = 0,
): Array<Record<string, unknown>> {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task)
		throw new Error(
			`Node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	return (task.data?.main[output] ?? []).map((item) => item.json);
}
