/**
 * The Docker Compose files users copy (docs/install.md) cannot run here (no Docker engine), so
 * their shape is checked: they parse, every n8n container preinstalls this package at its
 * current version through N8N_COMMUNITY_PACKAGES, they carry no setting n8n 3 removed, and the
 * queue-mode file runs the processes with the settings the queue-mode suite runs them with
 * (scripts/n8n-runtime/queue/settings.ts, the one place both read).
 */
import { parse } from 'yaml';

import {
	FIXED_QUEUE_MODE_SETTINGS,
	QUEUE_MODE_SETTING_NAMES,
	QUEUE_PROCESS_COMMANDS,
	WORKER_CONCURRENCY,
	WORKER_COUNT,
} from '../../scripts/n8n-runtime/queue/settings';
import versions from '../../scripts/n8n-runtime/versions.json';
import { manifest, readText } from './repository';

interface ComposeService {
	image?: string;
	command?: string;
	environment?: Record<string, string>;
	volumes?: string[];
	ports?: string[];
	deploy?: { replicas?: number };
	depends_on?: Record<string, { condition: string }>;
	healthcheck?: { test: string[] };
}

interface ComposeFile {
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
}

/** Settings n8n 3 removed (docs `changelog/v30-breaking-changes.md`, "Changed defaults and removed variables"). */
const REMOVED_IN_N8N_3 = ['OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS'];
const N8N_IMAGE = 'docker.n8n.io/n8nio/n8n';
const N8N_USER_FOLDER = '/home/node/.n8n';

/** Strict, with YAML merge keys resolved as Docker Compose resolves them. */
function readCompose(file: string): ComposeFile {
	return parse(readText(file), {
		merge: true,
		strict: true,
		uniqueKeys: true,
		prettyErrors: true,
	}) as ComposeFile;
}

function n8nServices(compose: ComposeFile): Array<[string, ComposeService]> {
	return Object.entries(compose.services).filter(([, service]) =>
		service.image?.startsWith(`${N8N_IMAGE}:`),
	);
}

/** `${NAME:-default}` → default. */
function defaultOf(expression: string): string | undefined {
	return /\$\{\w+:-([^}]+)\}/.exec(expression)?.[1];
}

const files = {
	single: readCompose('docker-compose.yml'),
	queue: readCompose('docker-compose.queue.yml'),
};

describe.each(Object.entries(files))('docker-compose (%s)', (_variant, compose) => {
	const services = n8nServices(compose);

	it('runs n8n, by default at the newest version the e2e suite tests', () => {
		expect(services.length).toBeGreaterThan(0);
		for (const [, service] of services)
			expect(defaultOf(service.image as string)).toBe(versions.latest.n8n);
	});

	it.each(services.map(([name]) => name))(
		'%s installs this package at its current version from the environment',
		(name) => {
			const environment = compose.services[name].environment ?? {};
			const packages = JSON.parse(environment.N8N_COMMUNITY_PACKAGES) as Array<{
				name: string;
				version?: string;
			}>;
			expect(packages).toContainEqual({ name: manifest.name, version: manifest.version });
			expect(environment.N8N_COMMUNITY_PACKAGES_MANAGED_BY_ENV).toBe('true');
			// Until n8n verifies the package, n8n 3 installs and loads it only with this.
			expect(environment.N8N_UNVERIFIED_PACKAGES_ENABLED).toBe('true');
			expect(environment.N8N_ENCRYPTION_KEY).toMatch(/^\$\{N8N_ENCRYPTION_KEY:\?/);
		},
	);

	it('sets nothing n8n 3 removed', () => {
		for (const service of Object.values(compose.services))
			for (const removed of REMOVED_IN_N8N_3)
				expect(Object.keys(service.environment ?? {})).not.toContain(removed);
	});
});

describe('docker-compose.yml (one container)', () => {
	it('runs n8n in regular mode (no queue settings)', () => {
		const [[, n8n], ...others] = n8nServices(files.single);
		expect(others).toEqual([]);
		expect(n8n.environment?.EXECUTIONS_MODE).toBeUndefined();
		expect(n8n.volumes).toContain(`n8n_data:${N8N_USER_FOLDER}`);
	});
});

describe('docker-compose.queue.yml (queue mode, as test/e2e-queue runs it)', () => {
	const { services } = files.queue;
	const n8n = n8nServices(files.queue);
	const byCommand = (command: string) =>
		n8n.filter(([, service]) => service.command?.split(' ')[0] === command);
	const serviceWithImage = (image: string) =>
		Object.entries(services).find(([, service]) => service.image?.split(':')[0] === image);

	it('has the suite’s processes: one main, one webhook process, and its number of workers', () => {
		expect(byCommand(QUEUE_PROCESS_COMMANDS.main)).toHaveLength(1);
		expect(byCommand(QUEUE_PROCESS_COMMANDS.webhook)).toHaveLength(1);
		const workers = byCommand(QUEUE_PROCESS_COMMANDS.worker);
		expect(workers).toHaveLength(1);
		const [, worker] = workers[0];
		expect(worker.command).toBe(
			`${QUEUE_PROCESS_COMMANDS.worker} --concurrency=${WORKER_CONCURRENCY}`,
		);
		expect(worker.deploy?.replicas).toBe(WORKER_COUNT);
		expect(worker.environment?.QUEUE_HEALTH_CHECK_ACTIVE).toBe('true');
		expect(n8n).toHaveLength(3);
	});

	it.each(n8n.map(([name]) => name))('%s has every queue-mode setting the suite sets', (name) => {
		const environment = services[name].environment ?? {};
		for (const setting of QUEUE_MODE_SETTING_NAMES) expect(environment).toHaveProperty(setting);
		expect(environment).toMatchObject(FIXED_QUEUE_MODE_SETTINGS);
	});

	it('points every n8n process at the PostgreSQL and Redis services, on their own ports', () => {
		const postgres = serviceWithImage('postgres');
		const redis = serviceWithImage('redis');
		expect(postgres).toBeDefined();
		expect(redis).toBeDefined();
		const [postgresName, postgresService] = postgres as [string, ComposeService];
		const [redisName] = redis as [string, ComposeService];
		const database = postgresService.environment ?? {};
		for (const [, service] of n8n) {
			const environment = service.environment ?? {};
			expect(environment.DB_POSTGRESDB_HOST).toBe(postgresName);
			expect(environment.DB_POSTGRESDB_PORT).toBe('5432');
			expect(environment.DB_POSTGRESDB_USER).toBe(database.POSTGRES_USER);
			expect(environment.DB_POSTGRESDB_DATABASE).toBe(database.POSTGRES_DB);
			expect(environment.DB_POSTGRESDB_PASSWORD).toBe(database.POSTGRES_PASSWORD);
			expect(environment.QUEUE_BULL_REDIS_HOST).toBe(redisName);
			expect(environment.QUEUE_BULL_REDIS_PORT).toBe('6379');
			expect(Object.keys(service.depends_on ?? {}).length).toBeGreaterThan(0);
		}
	});

	it('starts the webhook process and the workers once the main process has installed the package', () => {
		const [[mainName, main]] = byCommand(QUEUE_PROCESS_COMMANDS.main);
		expect(main.healthcheck?.test).toBeDefined();
		for (const command of [QUEUE_PROCESS_COMMANDS.webhook, QUEUE_PROCESS_COMMANDS.worker])
			for (const [, service] of byCommand(command))
				expect(service.depends_on?.[mainName]).toEqual({ condition: 'service_healthy' });
	});

	it('shares one encryption key and one n8n user folder between all n8n processes, as the suite does', () => {
		const keys = new Set(n8n.map(([, service]) => service.environment?.N8N_ENCRYPTION_KEY));
		expect(keys.size).toBe(1);
		for (const [, service] of n8n)
			expect(service.volumes).toContain(`n8n_data:${N8N_USER_FOLDER}`);
	});
});
