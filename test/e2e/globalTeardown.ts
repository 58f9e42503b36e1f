/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/** Removes the tarball and every n8n home of this run (E2E_KEEP=1 keeps them for a post-mortem). */
import * as fs from 'fs';

import { E2E_ENV } from './environment';

export default async function globalTeardown(): Promise<void> {
	const workDir = process.env[E2E_ENV.workDir];
	if (!workDir) return;
	if (process.env.E2E_KEEP === '1') {
		process.stderr.write(`[e2e] Kept ${workDir}\n`);
		return;
	}
	fs.rmSync(workDir, { recursive: true, force: true });
}
