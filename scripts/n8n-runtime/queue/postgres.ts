/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * A throwaway PostgreSQL server on 127.0.0.1, its data in a temporary folder: the database all
 * n8n processes of a queue-mode setup share. PostgreSQL refuses to run as root, so as root (CI)
 * initdb and postgres run as the `postgres` user that Debian's package creates, via runuser.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { BackgroundProcess, freePort, runChecked, runCommand, waitFor } from '../processes';
import type { SafetyNet } from './safetyNet';

export interface PostgresServer {
	host: string;
	port: number;
	user: string;
	database: string;
	/** Runs SQL with psql; returns its unaligned, tuples-only output. */
	query(sql: string): Promise<string>;
}

const SYSTEM_USER = 'postgres';
const DATABASE_USER = 'postgres';

function asDatabaseUser(command: string, args: string[]): [string, string[]] {
	if (process.getuid?.() !== 0) return [command, args];
	return ['runuser', ['-u', SYSTEM_USER, '--', command, ...args]];
}

async function systemUserIds(): Promise<{ uid: number; gid: number }> {
	const uid = Number((await runChecked('id', ['-u', SYSTEM_USER])).stdout.trim());
	const gid = Number((await runChecked('id', ['-g', SYSTEM_USER])).stdout.trim());
	return { uid, gid };
}

export async function startPostgres(bin: string, safety: SafetyNet): Promise<PostgresServer> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-queue-pg-'));
	safety.dir(dir);
	if (process.getuid?.() === 0) {
		const { uid, gid } = await systemUserIds();
		fs.chownSync(dir, uid, gid);
	}
	const dataDir = path.join(dir, 'data');
	const [initCommand, initArgs] = asDatabaseUser(path.join(bin, 'initdb'), [
		'-D',
		dataDir,
		'-U',
		DATABASE_USER,
		'-A',
		'trust',
		'-E',
		'UTF8',
		'--locale=C',
		'--no-sync',
	]);
	await runChecked(initCommand, initArgs, { cwd: dir });

	const port = await freePort();
	const [command, args] = asDatabaseUser(path.join(bin, 'postgres'), [
		'-D',
		dataDir,
		'-h',
		'127.0.0.1',
		'-p',
		String(port),
		// The socket in our folder: the system's /var/run/postgresql may not exist or be writable.
		'-k',
		dir,
		// A throwaway database: durability costs disk time that the measurements should not pay.
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const server = BackgroundProcess.start('postgres', command, args, { cwd: dir });
	safety.process(server);

	const psql = path.join(bin, 'psql');
	const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', DATABASE_USER, '-d', 'postgres'];
	const query = async (sql: string): Promise<string> =>
		(
			await runChecked(
				psql,
				[...connection, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql],
				{
					cwd: dir,
				},
			)
		).stdout.trim();
	await waitFor(
		`PostgreSQL to accept connections on 127.0.0.1:${port}`,
		async () => {
			if (!server.running) throw new Error(`postgres exited:\n${server.log}`);
			const ready = await runCommand(path.join(bin, 'pg_isready'), [
				'-h',
				'127.0.0.1',
				'-p',
				String(port),
			]);
			return ready.code === 0 ? true : undefined;
		},
		60000,
	);
	return { host: '127.0.0.1', port, user: DATABASE_USER, database: 'postgres', query };
}
