/**
 * What makes n8n processes one queue-mode cluster: the commands each kind of process runs and the
 * settings all of them share. The queue-mode suite (cluster.ts) starts n8n with these, and
 * test/release/dockerCompose.test.ts checks docker-compose.queue.yml against them, so the compose
 * file users copy runs n8n the way the suite proved it works. Names as n8n reads them:
 * `@n8n/config` (ExecutionsConfig `EXECUTIONS_MODE`, ScalingModeConfig `QUEUE_BULL_REDIS_*`,
 * DatabaseConfig `DB_TYPE`, `DB_POSTGRESDB_*`).
 */

/** The n8n command of each kind of process in queue mode. */
export const QUEUE_PROCESS_COMMANDS = {
	/** Editor, API, triggers and schedules; it enqueues what they start. */
	main: 'start',
	/** Receives production webhooks and enqueues their executions. */
	webhook: 'webhook',
	/** Takes executions off the queue and runs them. */
	worker: 'worker',
} as const;

/** The executions each worker runs at once (`n8n worker --concurrency`), in the suite and in compose. */
export const WORKER_CONCURRENCY = 10;

/** How many workers the suite starts, and the compose file's replicas. */
export const WORKER_COUNT = 2;

export interface QueueServers {
	redis: { host: string; port: number };
	postgres: { host: string; port: number; user: string; password: string; database: string };
}

/** The settings every n8n process of a queue-mode cluster needs, for these servers. */
export function queueModeSettings({ redis, postgres }: QueueServers): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		DB_POSTGRESDB_DATABASE: postgres.database,
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
	};
}

/** The settings whose value is the same in every deployment (the rest name its servers). */
export const FIXED_QUEUE_MODE_SETTINGS = {
	EXECUTIONS_MODE: 'queue',
	DB_TYPE: 'postgresdb',
} as const;

/** The names of the settings above, for checking a deployment file has each of them. */
export const QUEUE_MODE_SETTING_NAMES = Object.keys(
	queueModeSettings({
		redis: { host: '', port: 0 },
		postgres: { host: '', port: 0, user: '', password: '', database: '' },
	}),
);

/** The settings a worker gets on top: its health endpoint (`/healthz`), which readiness checks poll. */
export function workerHealthSettings(port: number): Record<string, string> {
	return { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) };
}
