/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * What queue mode needs besides n8n: a Redis server (n8n's job queue) and a PostgreSQL server
 * (the database every n8n process shares). Found on the machine, or installed from Debian's own
 * packages with apt-get when we may (root, apt-get present); otherwise a clear message.
 */
import * as fs from 'fs';
import * as path from 'path';

import { runChecked, runCommand } from '../processes';

export interface QueuePrerequisites {
	redisServer: string;
	/** The folder of initdb, postgres, pg_isready, psql (Debian: /usr/lib/postgresql/<major>/bin). */
	postgresBin: string;
}

/** The Debian packages that provide them. */
const PACKAGES = ['redis-server', 'postgresql'];

export class MissingPrerequisiteError extends Error {}

function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const candidate = path.join(dir, name);
		if (dir && fs.existsSync(candidate)) return candidate;
	}
	return undefined;
}

/** Debian installs PostgreSQL off PATH, one folder per major version: take the newest. */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	const majors = fs.existsSync(root)
		? fs
				.readdirSync(root)
				.filter((major) => fs.existsSync(path.join(root, major, 'bin', 'initdb')))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	if (majors.length > 0) return path.join(root, majors[0], 'bin');
	const initdb = onPath('initdb');
	return initdb ? path.dirname(fs.realpathSync(initdb)) : undefined;
}

function find(): Partial<QueuePrerequisites> {
	const redisServer = fs.existsSync('/usr/bin/redis-server')
		? '/usr/bin/redis-server'
		: onPath('redis-server');
	return { redisServer, postgresBin: postgresBinDir() };
}

function complete(found: Partial<QueuePrerequisites>): found is QueuePrerequisites {
	return found.redisServer !== undefined && found.postgresBin !== undefined;
}

function missingNames(found: Partial<QueuePrerequisites>): string[] {
	return [
		...(found.redisServer ? [] : ['redis-server']),
		...(found.postgresBin ? [] : ['postgresql']),
	];
}

/**
 * Finds Redis and PostgreSQL, installing the missing Debian packages first when running as root
 * on a machine with apt-get. Throws MissingPrerequisiteError saying what to install otherwise.
 */
export async function ensureQueuePrerequisites(
	log: (line: string) => void = (line) => process.stderr.write(`[queue] ${line}\n`),
): Promise<QueuePrerequisites> {
	const found = find();
	if (complete(found)) return found;
	const missing = missingNames(found);
	const isRoot = process.getuid?.() === 0;
	const aptGet = onPath('apt-get');
	if (!isRoot || !aptGet) {
		throw new MissingPrerequisiteError(
			`Queue mode needs ${missing.join(' and ')}, which this machine lacks. ` +
				(aptGet
					? `Install them as root (sudo apt-get install ${PACKAGES.join(' ')}), or run this suite as root and it installs them.`
					: `This is not a Debian/Ubuntu machine (no apt-get): install Redis and PostgreSQL with its package manager so that redis-server and initdb are on PATH.`),
		);
	}
	log(`Installing ${missing.join(', ')} with apt-get (Debian packages ${PACKAGES.join(' ')})…`);
	// The package scripts must not start system-wide servers: ours run on temporary ports.
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive', RUNLEVEL: '1' };
	const quiet = ['-y', '-q', '-o', 'Dpkg::Use-Pty=0'];
	let install = await runCommand(
		aptGet,
		['install', ...quiet, '--no-install-recommends', ...PACKAGES],
		{ env },
	);
	if (install.code !== 0) {
		// A fresh machine's package lists are empty or stale: refresh them once and try again.
		await runChecked(aptGet, ['update', '-q'], { env });
		install = await runCommand(
			aptGet,
			['install', ...quiet, '--no-install-recommends', ...PACKAGES],
			{ env },
		);
	}
	if (install.code !== 0)
		throw new MissingPrerequisiteError(
			`apt-get install ${PACKAGES.join(' ')} failed (exit ${install.code}):\n${install.stdout}\n${install.stderr}`,
		);
	const after = find();
	if (!complete(after))
		throw new MissingPrerequisiteError(
			`apt-get installed ${PACKAGES.join(' ')}, but ${missingNames(after).join(' and ')} still cannot be found`,
		);
	log('Redis and PostgreSQL installed.');
	return after;
}
