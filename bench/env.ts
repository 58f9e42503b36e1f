/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- benchmarks run in Node, never inside n8n, and are not published */
/**
 * Imported first by bench/run.ts: n8n-core's InstanceSettings writes its config (with a fresh
 * encryption key) into N8N_USER_FOLDER when first loaded; keep it out of the developer's home,
 * like test/setup-env.js does for the tests.
 */
import { mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

if (!process.env.N8N_USER_FOLDER) {
	const dir = join(tmpdir(), 'n8n-b24-telephony-bench');
	mkdirSync(dir, { recursive: true });
	process.env.N8N_USER_FOLDER = dir;
}
process.env.TZ = 'UTC';
