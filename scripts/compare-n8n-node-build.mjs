#!/usr/bin/env node
/**
 * Checks that `npm run build` (tsc + gulp) produces what n8n's node CLI would: builds two copies
 * of the tree, one with `npm run build`, one with `n8n-node build`, and compares their dist/ file
 * by file. The working tree's own dist/ is left alone.
 *
 *   node scripts/compare-n8n-node-build.mjs
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { exportSourceTree, repositoryRoot } from './source-tree.mjs';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-build-compare-'));

function buildCopy(name, command, args) {
	const dir = path.join(work, name);
	exportSourceTree(dir);
	fs.symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(dir, 'node_modules'));
	execFileSync(command, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
	return path.join(dir, 'dist');
}

function filesUnder(dir) {
	return fs
		.readdirSync(dir, { recursive: true, withFileTypes: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.relative(dir, path.join(entry.parentPath ?? entry.path, entry.name)))
		.sort();
}

try {
	const ours = buildCopy('npm-run-build', 'npm', ['run', 'build']);
	const theirs = buildCopy('n8n-node-build', 'npx', ['n8n-node', 'build']);
	const ourFiles = filesUnder(ours);
	const theirFiles = filesUnder(theirs);
	const onlyOurs = ourFiles.filter((file) => !theirFiles.includes(file));
	const onlyTheirs = theirFiles.filter((file) => !ourFiles.includes(file));
	const differing = ourFiles.filter(
		(file) =>
			theirFiles.includes(file) &&
			!fs.readFileSync(path.join(ours, file)).equals(fs.readFileSync(path.join(theirs, file))),
	);
	for (const file of onlyOurs) process.stdout.write(`only in npm run build: ${file}\n`);
	for (const file of onlyTheirs) process.stdout.write(`only in n8n-node build: ${file}\n`);
	for (const file of differing) process.stdout.write(`different content: ${file}\n`);
	const same = onlyOurs.length + onlyTheirs.length + differing.length === 0;
	process.stdout.write(
		same
			? `dist/ identical: ${ourFiles.length} files, same paths and bytes\n`
			: 'dist/ differs from what n8n-node build produces\n',
	);
	process.exitCode = same ? 0 : 1;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
