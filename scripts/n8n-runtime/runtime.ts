/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * The n8n runtimes (versions pinned in versions.json), installed by install.js into a cache
 * outside the repository. install.js stays plain JavaScript so that it runs with a bare `node`.
 */
import * as path from 'path';

import { runChecked } from './processes';
import versions from './versions.json';

/** The runtimes pinned in versions.json (every key but its comment), in the file's order. */
export type RuntimeName = Exclude<keyof typeof versions, 'comment'>;
export const RUNTIME_NAMES = Object.keys(versions).filter(
	(key): key is RuntimeName => key !== 'comment',
);

export interface N8nRuntime {
	name: RuntimeName;
	n8nVersion: string;
	/** The runtime's own folder (its node_modules hold n8n, sqlite3 and, unless "system", Node). */
	dir: string;
	/** The Node binary this n8n must run on. */
	node: string;
	n8nBin: string;
}

const INSTALLER = path.join(__dirname, 'install.js');

/** Installs the runtime on first use (minutes, progress on stderr); instant afterwards. */
export async function ensureRuntime(name: RuntimeName): Promise<N8nRuntime> {
	const { stdout } = await runChecked(process.execPath, [INSTALLER, name], { showStderr: true });
	return JSON.parse(stdout.trim()) as N8nRuntime;
}

/** Runtime names from a comma-separated list (E2E_RUNTIMES=latest), or all of them. */
export function selectRuntimes(list: string | undefined): RuntimeName[] {
	if (!list) return RUNTIME_NAMES;
	const names = list.split(',').map((name) => name.trim());
	for (const name of names) {
		if (!RUNTIME_NAMES.includes(name as RuntimeName))
			throw new Error(`Unknown n8n runtime "${name}" (known: ${RUNTIME_NAMES.join(', ')})`);
	}
	return names as RuntimeName[];
}

/** The major version of n8n a runtime runs: the CLI's commands differ between 1.x and 2.x. */
export function n8nMajor(runtime: Pick<N8nRuntime, 'n8nVersion'>): number {
	return Number(runtime.n8nVersion.split('.')[0]);
}
