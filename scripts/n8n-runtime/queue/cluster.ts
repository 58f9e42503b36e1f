/**
 * n8n in queue mode, as users who outgrow one process run it: Redis as the queue, PostgreSQL as
 * the shared database, a main process (`n8n start`: editor, API, triggers, schedules), workers
 * (`n8n worker`: they run the executions) and webhook processes (`n8n webhook`: they receive
 * production webhooks and put executions on the queue). All on 127.0.0.1, all sharing one n8n
 * user folder, so one encryption key and one installed copy of our community package: in queue
 * mode every process that runs or receives for a workflow must be able to load its nodes.
 */
import { BackgroundProcess, freePort } from '../processes';
import type { N8nHome } from '../home';
import { startN8nServer, waitUntilReady, type N8nServer } from '../server';
import type { PostgresServer } from './postgres';
import type { RedisServer } from './redis';
import type { SafetyNet } from './safetyNet';
import {
	QUEUE_PROCESS_COMMANDS,
	WORKER_CONCURRENCY,
	queueModeSettings as sharedQueueModeSettings,
	workerHealthSettings,
} from './settings';

/** A worker or webhook process starts like `n8n start` does: well under a minute on 2 cores. */
const START_TIMEOUT_MS = 180000;

/** The settings that put every n8n process of `home` into queue mode on these servers. */
export function queueModeSettings(
	redis: RedisServer,
	postgres: PostgresServer,
): Record<string, string> {
	return {
		...sharedQueueModeSettings({ redis, postgres: { ...postgres, password: '' } }),
		// A worker's health endpoint (enabled per worker below) listens on loopback only.
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
	};
}

export interface QueueProcess {
	name: string;
	/** Where it answers HTTP: the editor and webhooks (main), webhooks (webhook), health (worker). */
	url: string;
	process: BackgroundProcess;
	webhookUrl(path: string): string;
	stop(): Promise<void>;
}

function webhookUrlOf(url: string): (path: string) => string {
	return (path) => `${url}/webhook/${path.replace(/^\//, '')}`;
}

/** `n8n start` in queue mode: it enqueues what its own webhooks and triggers start. */
export async function startMain(home: N8nHome, safety: SafetyNet): Promise<QueueProcess> {
	const server: N8nServer = await startN8nServer(home);
	const main: QueueProcess = { name: 'n8n main', ...server, process: server.process };
	safety.process(server.process, server.stop);
	return main;
}

async function startQueueProcess(
	home: N8nHome,
	safety: SafetyNet,
	name: string,
	args: string[],
	/** The settings that make it listen on `port` (its only HTTP port). */
	listenOn: (port: number) => Record<string, string>,
): Promise<QueueProcess> {
	const port = await freePort();
	const child = BackgroundProcess.start(name, home.runtime.node, [home.runtime.n8nBin, ...args], {
		cwd: home.dir,
		env: home.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...listenOn(port) }),
	});
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		await child.stop(20000);
		home.outputs.push(child.log);
	};
	safety.process(child, stop);
	await waitUntilReady(child, url, name, START_TIMEOUT_MS);
	return { name, url, process: child, webhookUrl: webhookUrlOf(url), stop };
}

/** `n8n worker`: takes executions off the queue, `concurrency` at a time. */
export async function startWorker(
	home: N8nHome,
	safety: SafetyNet,
	name: string,
	concurrency = WORKER_CONCURRENCY,
): Promise<QueueProcess> {
	return await startQueueProcess(
		home,
		safety,
		name,
		[QUEUE_PROCESS_COMMANDS.worker, `--concurrency=${concurrency}`],
		workerHealthSettings,
	);
}

/** `n8n webhook`: answers production webhooks; the executions go to the workers. */
export async function startWebhookProcess(
	home: N8nHome,
	safety: SafetyNet,
	name: string,
): Promise<QueueProcess> {
	return await startQueueProcess(home, safety, name, [QUEUE_PROCESS_COMMANDS.webhook], (port) => ({
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
	}));
}
