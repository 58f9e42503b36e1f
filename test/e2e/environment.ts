/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/** What globalSetup hands to the test files, through environment variables. */
import type { N8nRuntime } from '../../scripts/n8n-runtime/runtime';

export const E2E_ENV = {
	workDir: 'B24_E2E_WORK_DIR',
	tarball: 'B24_E2E_TARBALL',
	runtimes: 'B24_E2E_RUNTIMES',
} as const;

export interface E2eEnvironment {
	workDir: string;
	tarball: string;
	runtimes: N8nRuntime[];
}

export function readE2eEnvironment(): E2eEnvironment {
	const workDir = process.env[E2E_ENV.workDir];
	const tarball = process.env[E2E_ENV.tarball];
	const runtimes = process.env[E2E_ENV.runtimes];
	if (!workDir || !tarball || !runtimes)
		throw new Error('The e2e environment is missing: run the suite with `npm run test:e2e`');
	return { workDir, tarball, runtimes: JSON.parse(runtimes) as N8nRuntime[] };
}
