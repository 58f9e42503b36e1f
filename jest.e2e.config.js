/**
 * The end-to-end suite: our packed tarball installed into real n8n processes (every runtime in
 * scripts/n8n-runtime/versions.json: latest, oldest, v1), driven through the n8n CLI and
 * production webhooks against the sandbox portal. `npm run test:e2e`; E2E_RUNTIMES=v1 (or a
 * comma-separated list) runs some of them only.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	// Builds and packs the package once and installs the n8n runtimes (minutes on the first run).
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	// n8n processes compete for the CPU: one runtime at a time.
	maxWorkers: 1,
	// Starting n8n costs tens of seconds on 2 cores; hooks that do so set their own, longer limit.
	testTimeout: 120000,
	verbose: true,
};
