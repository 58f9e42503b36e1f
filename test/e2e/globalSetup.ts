/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Once per `npm run test:e2e`: build and pack our package (the tarball every n8n home installs)
 * and make sure the n8n runtimes are installed. What it prepared reaches the test files through
 * the environment (test workers start after this ran).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { buildAndPack } from '../../scripts/n8n-runtime/pack';
import {
	ensureRuntime,
	selectRuntimes,
	type N8nRuntime,
	type RuntimeName,
} from '../../scripts/n8n-runtime/runtime';
import { E2E_ENV } from './environment';

export default async function globalSetup(): Promise<void> {
	await prepareE2e(selectRuntimes(process.env.E2E_RUNTIMES));
}

/** Also the editor suite's setup (newest runtime only). */
export async function prepareE2e(runtimeNames: RuntimeName[]): Promise<void> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-telephony-e2e-'));
	process.stderr.write('\n[e2e] Building and packing the package…\n');
	const tarball = await buildAndPack(path.join(workDir, 'pack'));
	const runtimes: N8nRuntime[] = [];
	for (const name of runtimeNames) runtimes.push(await ensureRuntime(name));
	process.env[E2E_ENV.workDir] = workDir;
	process.env[E2E_ENV.tarball] = tarball;
	process.env[E2E_ENV.runtimes] = JSON.stringify(runtimes);
}
