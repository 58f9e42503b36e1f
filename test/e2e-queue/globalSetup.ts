/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Once per `npm run test:e2e:queue`: Redis and PostgreSQL found or installed (apt-get, as root),
 * our package built and packed, n8n 2.41.1 on Node 24 installed. A missing prerequisite fails
 * the run here, before anything starts, with what to install.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { buildAndPack } from '../../scripts/n8n-runtime/pack';
import { ensureQueuePrerequisites } from '../../scripts/n8n-runtime/queue/prerequisites';
import { ensureRuntime } from '../../scripts/n8n-runtime/runtime';
import { E2E_ENV } from '../e2e/environment';
import { QUEUE_ENV } from './environment';

export default async function globalSetup(): Promise<void> {
	const prerequisites = await ensureQueuePrerequisites();
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-telephony-e2e-queue-'));
	process.stderr.write('\n[queue] Building and packing the package…\n');
	const tarball = await buildAndPack(path.join(workDir, 'pack'));
	const runtime = await ensureRuntime('latest');
	process.env[E2E_ENV.workDir] = workDir;
	process.env[E2E_ENV.tarball] = tarball;
	process.env[E2E_ENV.runtimes] = JSON.stringify([runtime]);
	process.env[QUEUE_ENV.prerequisites] = JSON.stringify(prerequisites);
}
