/**
 * The editor suite: n8n's own editor in Debian's Chromium (playwright-core), with our packed
 * tarball installed as a community package into a real `n8n start` on the newest supported n8n,
 * against the sandbox portal, all on 127.0.0.1. `npm run test:editor`.
 * EDITOR_SCREENSHOTS=docs/images rewrites the README's screenshots.
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/editor'],
	testMatch: ['**/*.editor.test.ts'],
	// Builds and packs the package and installs the newest n8n runtime (minutes on the first run).
	globalSetup: '<rootDir>/test/editor/globalSetup.ts',
	globalTeardown: '<rootDir>/test/e2e/globalTeardown.ts',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
	},
	maxWorkers: 1,
	// A step waits for the editor's own events (selectors, responses); n8n on 2 cores is slow.
	testTimeout: 120000,
	verbose: true,
};
