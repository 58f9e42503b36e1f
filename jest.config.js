/**
 * Unit and in-engine tests. The e2e suites (real n8n processes, queue mode) and the editor suite
 * have their own configs.
 *
 * Two projects: every test against n8n-core/n8n-workflow 2.11.1 (the devDependencies), and the
 * in-engine tests once more against the newest n8n-core that installs here (2.41.x, installed
 * under the alias n8n-core-next). In the second project `n8n-core` and `n8n-workflow` resolve to
 * that copy and to the n8n-workflow it depends on, for the node code, the test helpers and
 * n8n-core's own imports alike, so a change in n8n's engine fails `npm test`.
 * `npx jest --selectProjects engine-2.41` runs the second project alone.
 */
const path = require('path');

const shared = {
	testEnvironment: 'node',
	setupFiles: ['<rootDir>/test/setup-env.js'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
};

/** The folder of `name` as `from` resolves it (its package.json's folder). */
function packageDir(name, from = __dirname) {
	return path.dirname(require.resolve(`${name}/package.json`, { paths: [from] }));
}

const nextCore = packageDir('n8n-core-next');
// n8n-core 2.41.x pins its n8n-workflow; npm nests that copy under it (ours is 2.11.1).
const nextWorkflow = packageDir('n8n-workflow', nextCore);
// Where n8n 2.41 keeps what n8n-core used to export (parseIncomingMessage, for the test webhook server).
// (Its package.json is not exported: resolve the entry point itself.)
const nextBackendNetwork = require.resolve('@n8n/backend-network', { paths: [nextCore] });

/** The tests that run workflows through n8n-core (plus the node's own description checks). */
const IN_ENGINE_ROOTS = [
	'<rootDir>/test/nodes',
	'<rootDir>/test/trigger',
	'<rootDir>/test/oauth',
	'<rootDir>/test/reliability',
	'<rootDir>/test/credentials',
];

module.exports = {
	projects: [
		{
			...shared,
			displayName: 'engine-2.11',
			roots: ['<rootDir>/test'],
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				'<rootDir>/test/e2e/',
				'<rootDir>/test/e2e-queue/',
				'<rootDir>/test/editor/',
			],
		},
		{
			...shared,
			displayName: 'engine-2.41',
			roots: IN_ENGINE_ROOTS,
			testMatch: ['**/*.test.ts'],
			testPathIgnorePatterns: [
				'/node_modules/',
				// Its workers are separate tsx processes, outside jest's module mapping: they would run
				// the 2.11.1 engine again. The engine-2.11 project covers it.
				'<rootDir>/test/reliability/concurrency.test.ts',
			],
			moduleNameMapper: {
				'^n8n-core$': nextCore,
				'^n8n-core/(.*)$': `${nextCore}/$1`,
				'^n8n-workflow$': nextWorkflow,
				'^n8n-workflow/(.*)$': `${nextWorkflow}/$1`,
				'^@n8n/backend-network$': nextBackendNetwork,
			},
		},
	],
	testTimeout: 60000,
	// n8n-core keeps process-wide timers (binary data, instance settings) that never unref:
	// every test closes its own servers, so the leftovers are the engine's, not ours.
	forceExit: true,
};
