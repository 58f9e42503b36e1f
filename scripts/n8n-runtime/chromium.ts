/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * What the editor suite needs besides n8n: a Chromium. Playwright's own browser download does
 * not work on a closed network, so it is Debian's package: found at CHROMIUM_PATH or
 * /usr/bin/chromium, or installed with apt-get when we may (root, apt-get present), as the queue
 * suite does for Redis. `tsx scripts/n8n-runtime/chromium.ts` runs it alone (.ci/run does).
 */
import * as fs from 'fs';
import * as path from 'path';

import { runChecked, runCommand } from './processes';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export class MissingChromiumError extends Error {}

function aptGetPath(): string | undefined {
	return (process.env.PATH ?? '')
		.split(path.delimiter)
		.map((dir) => path.join(dir, 'apt-get'))
		.find((candidate) => fs.existsSync(candidate));
}

export async function ensureChromium(
	log: (line: string) => void = (line) => process.stderr.write(`[editor] ${line}\n`),
): Promise<string> {
	if (fs.existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
	const aptGet = aptGetPath();
	if (process.getuid?.() !== 0 || !aptGet)
		throw new MissingChromiumError(
			`The editor suite needs Chromium at ${CHROMIUM_PATH}. ` +
				(aptGet
					? 'Install it as root (sudo apt-get install chromium), or run the suite as root and it installs it.'
					: "Install it with this system's package manager and set CHROMIUM_PATH to its binary."),
		);
	log('Installing chromium with apt-get (Debian package chromium)…');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const args = [
		'install',
		'-y',
		'-q',
		'-o',
		'Dpkg::Use-Pty=0',
		'--no-install-recommends',
		'chromium',
	];
	let install = await runCommand(aptGet, args, { env });
	if (install.code !== 0) {
		// A fresh machine's package lists are empty or stale: refresh them once and try again.
		await runChecked(aptGet, ['update', '-q'], { env });
		install = await runCommand(aptGet, args, { env });
	}
	if (install.code !== 0 || !fs.existsSync(CHROMIUM_PATH))
		throw new MissingChromiumError(
			`apt-get install chromium failed (exit ${install.code}):\n${install.stdout}\n${install.stderr}`,
		);
	log('Chromium installed.');
	return CHROMIUM_PATH;
}

if (require.main === module) {
	ensureChromium().then(
		(binary) => process.stdout.write(`${binary}\n`),
		(error: Error) => {
			process.stderr.write(`${error.message}\n`);
			process.exit(1);
		},
	);
}
