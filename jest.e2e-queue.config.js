/**
 * n8n in queue mode, end to end: Redis, PostgreSQL, a main process, two workers and a webhook
 * process on 127.0.0.1, our packed package installed as a community package, driven by PBX
 * webhook bursts and Bitrix24 events against sandbox portals. `npm run test:e2e:queue`.
 * Needs redis-server and PostgreSQL (installed with apt-get when run as root).
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e-queue'],
	testMatch: ['**/*.e2e.test.ts'],
	globalSetup: '<rootDir>/test/e2e-queue/globalSetup.ts',
	// Removes the tarball's folder, like the e2e suite's.
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	// A burst under the standard plan's limit (2 requests per second) takes minutes by design.
	testTimeout: 600000,
	verbose: true,
};
