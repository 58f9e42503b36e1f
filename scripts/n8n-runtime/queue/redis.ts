/* eslint-disable @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/** A throwaway Redis server on 127.0.0.1: n8n's job queue (Bull) in queue mode. Nothing persisted. */
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

import { BackgroundProcess, freePort, waitFor } from '../processes';
import type { SafetyNet } from './safetyNet';

export interface RedisServer {
	host: string;
	port: number;
}

/** Answers true once the server replies +PONG to PING. */
function ping(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

export async function startRedis(redisServer: string, safety: SafetyNet): Promise<RedisServer> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-queue-redis-'));
	safety.dir(dir);
	const port = await freePort();
	const redis = BackgroundProcess.start(
		'redis',
		redisServer,
		[
			'--bind',
			'127.0.0.1',
			'--port',
			String(port),
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
			'--daemonize',
			'no',
		],
		{ cwd: dir },
	);
	safety.process(redis);
	await waitFor(
		`Redis to answer on 127.0.0.1:${port}`,
		async () => {
			if (!redis.running) throw new Error(`redis-server exited:\n${redis.log}`);
			return (await ping(port)) ? true : undefined;
		},
		30000,
	);
	return { host: '127.0.0.1', port };
}
