#!/usr/bin/env node
'use strict';
/**
 * The safety net of a queue-mode run: a detached process that outlives the test runner. The
 * runner tells it, line by line on stdin, what it started and created:
 *
 *   group <pid>     a process group (a server and what it started)
 *   release <pid>   stopped by the runner itself: forget it
 *   dir <path>      a temporary folder
 *   undir <path>    removed by the runner itself: forget it
 *
 * When stdin ends (the runner finished, failed, was interrupted with Ctrl-C or killed), every
 * group still listed gets SIGTERM, then SIGKILL after a grace period, and every folder still
 * listed is removed. Nothing is left behind, however the run ended, within a bounded time.
 */
const fs = require('fs');

const GRACE_MS = Number(process.env.REAPER_GRACE_MS || 10000);
const groups = new Set();
const dirs = new Set();

// Ctrl-C reaches the runner's process group, not ours; ignore it here anyway, to finish the job.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
	buffered += chunk;
	let newline;
	while ((newline = buffered.indexOf('\n')) !== -1) {
		handle(buffered.slice(0, newline));
		buffered = buffered.slice(newline + 1);
	}
});
process.stdin.on('end', () => void reap());
process.stdin.on('error', () => void reap());

function handle(line) {
	const space = line.indexOf(' ');
	const verb = line.slice(0, space);
	const value = line.slice(space + 1);
	if (verb === 'group') groups.add(Number(value));
	else if (verb === 'release') groups.delete(Number(value));
	else if (verb === 'dir') dirs.add(value);
	else if (verb === 'undir') dirs.delete(value);
}

function alive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

function signal(pid, name) {
	try {
		process.kill(-pid, name);
	} catch {
		// Already gone.
	}
}

let reaping = false;
async function reap() {
	if (reaping) return;
	reaping = true;
	// Newest first: n8n before the databases it is connected to.
	const pids = [...groups].reverse().filter(alive);
	if (pids.length > 0)
		process.stderr.write(`[queue reaper] stopping ${pids.length} leftover process group(s)\n`);
	for (const pid of pids) signal(pid, 'SIGTERM');
	const deadline = Date.now() + GRACE_MS;
	while (pids.some(alive) && Date.now() < deadline)
		await new Promise((resolve) => setTimeout(resolve, 200));
	for (const pid of pids) signal(pid, 'SIGKILL');
	for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
	process.exit(0);
}
