#!/usr/bin/env node
'use strict';
/**
 * Installs the n8n runtimes the e2e suite and the demo run against, into a cache outside
 * the repository, so that the second run is instant.
 *
 *   node scripts/n8n-runtime/install.js [latest|oldest|all]
 *
 * Prints the runtime's description (JSON) on the last line of stdout.
 * Cache: $N8N_RUNTIME_CACHE or ~/.cache/n8n-nodes-bitrix24-telephony
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const versions = require('./versions.json');
const cacheRoot =
	process.env.N8N_RUNTIME_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-bitrix24-telephony');

function log(message) {
	process.stderr.write(`[n8n-runtime] ${message}\n`);
}

/** How often a long npm step says it is still alive: npm itself is silent at --loglevel=error. */
const HEARTBEAT_SECONDS = 10;

/**
 * Runs a long step synchronously, printing "still working" every few seconds. The heartbeat runs
 * in a child of its own because a synchronous spawn blocks this process's timers.
 */
function run(cmd, args, options, what) {
	const started = Date.now();
	const heartbeat = require('child_process').spawn(
		process.execPath,
		[
			'-e',
			`const t0=${started};setInterval(()=>{const s=Math.round((Date.now()-t0)/1000);` +
				`process.stderr.write('[n8n-runtime] ' + ${JSON.stringify(what)} + ': ' + Math.floor(s/60) + 'm' + String(s%60).padStart(2,'0') + 's\\n')},${HEARTBEAT_SECONDS * 1000})`,
		],
		{ stdio: ['ignore', 'ignore', 'inherit'] },
	);
	try {
		const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
		if (result.error) throw result.error;
		if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${result.status}`);
	} finally {
		heartbeat.kill();
	}
}

function runtimeDir(name) {
	const spec = versions[name];
	return path.join(cacheRoot, `n8n-${spec.n8n}`);
}

/** Where the Node binary that runs this n8n lives. */
function nodeBinary(name) {
	const spec = versions[name];
	if (spec.node === 'system') return process.execPath;
	const pkg = spec.node.replace(/@[^@]+$/, '');
	return path.join(runtimeDir(name), 'node_modules', pkg, 'bin', 'node');
}

function describe(name) {
	const dir = runtimeDir(name);
	return {
		name,
		n8nVersion: versions[name].n8n,
		dir,
		node: nodeBinary(name),
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

function install(name) {
	const spec = versions[name];
	if (!spec) throw new Error(`Unknown runtime "${name}" (expected one of ${Object.keys(versions).join(', ')})`);
	const dir = runtimeDir(name);
	const marker = path.join(dir, '.installed.json');
	const wanted = JSON.stringify(spec);
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === wanted) {
		log(`n8n ${spec.n8n} already installed in ${dir}`);
		return describe(name);
	}
	log(`Installing n8n ${spec.n8n} into ${dir}: the first time takes a few minutes…`);
	fs.mkdirSync(dir, { recursive: true });
	const dependencies = { n8n: spec.n8n };
	if (spec.node !== 'system') {
		const at = spec.node.lastIndexOf('@');
		dependencies[spec.node.slice(0, at)] = spec.node.slice(at + 1);
	}
	const manifest = { name: `n8n-runtime-${name}`, private: true, dependencies };
	if (spec.overrides) manifest.overrides = spec.overrides;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
	// The machine's npmrc may say yes=false and point nodedir at Node 20: override both here.
	const env = { ...process.env, npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' };
	run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-package-lock', '--loglevel=error'], { cwd: dir, env }, `npm install n8n@${spec.n8n}`);
	const node = nodeBinary(name);
	if (spec.node !== 'system') {
		fs.chmodSync(node, 0o755);
		const nodedir = path.dirname(path.dirname(node));
		log(`Building sqlite3 for Node ${spec.node}…`);
		run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
			cwd: dir,
			env: {
				...env,
				npm_config_nodedir: nodedir,
				npm_config_ignore_scripts: 'false',
				PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`,
			},
		}, 'building sqlite3');
	} else {
		log('Building sqlite3 for the system Node…');
		run('npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
			cwd: dir,
			env: { ...env, npm_config_ignore_scripts: 'false' },
		}, 'building sqlite3');
	}
	fs.writeFileSync(marker, wanted);
	log(`n8n ${spec.n8n} ready`);
	return describe(name);
}

module.exports = { install, describe, versions, cacheRoot };

if (require.main === module) {
	const which = process.argv[2] || 'latest';
	const names = which === 'all' ? Object.keys(versions).filter((k) => k !== 'comment') : [which];
	const result = names.map(install);
	process.stdout.write(`${JSON.stringify(which === 'all' ? result : result[0])}\n`);
}
