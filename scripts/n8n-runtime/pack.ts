/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * Our package as users get it: built, then `npm pack`ed into a tarball, the same file
 * `npm publish` would upload.
 */
import * as fs from 'fs';
import * as path from 'path';

import { runChecked } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** `npm run build`, then `npm pack` into `destDir`; returns the tarball's path. */
export async function buildAndPack(destDir: string, repoRoot = REPO_ROOT): Promise<string> {
	await runChecked('npm', ['run', 'build'], { cwd: repoRoot });
	fs.mkdirSync(destDir, { recursive: true });
	const { stdout } = await runChecked('npm', ['pack', '--json', '--pack-destination', destDir], {
		cwd: repoRoot,
	});
	const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
	return path.join(destDir, packed.filename);
}
