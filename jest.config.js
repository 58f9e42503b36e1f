/** Unit and in-engine tests. The e2e suites (real n8n processes, queue mode) have their own configs. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: [
		'/node_modules/',
		'<rootDir>/test/e2e/',
		'<rootDir>/test/e2e-queue/',
		'<rootDir>/test/editor/',
	],
	setupFiles: ['<rootDir>/test/setup-env.js'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	testTimeout: 60000,
	// n8n-core keeps process-wide timers (binary data, instance settings) that never unref:
	// every test closes its own servers, so the leftovers are the engine's, not ours.
	forceExit: true,
};
