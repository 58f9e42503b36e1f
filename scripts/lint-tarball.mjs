#!/usr/bin/env node
/**
 * Runs n8n's verification scanner (@n8n/scan-community-package, a pinned devDependency) on this
 * package before it is published, with the scanner's own code, config and bundled plugin versions:
 *
 *   1. source leg: what the scanner downloads from the GitHub commit named in the npm provenance
 *      attestation. Here: the files git would commit (tracked + untracked, minus .gitignore'd),
 *      located the way the scanner locates the package root, linted with the scanner's patterns
 *      (package.json, {nodes,credentials}/**).
 *   2. tarball leg: `npm pack` of this checkout, its compiled **\/*.js and package.json linted;
 *      then the compiled code again with package.json as n8n installs it (no devDependencies).
 *
 * Both legs use the scanner's `analyzePackage` (inline eslint-disable comments are ignored) and
 * fail on any error. The scanner's provenance check and the download of the attested source need
 * the published package and cannot run before publishing; the publish workflow is what makes
 * them pass (`npm publish --provenance` from GitHub Actions).
 *
 *   npm run build && npm run lint:tarball
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import { createRequire } from 'module';
import os from 'os';
import path from 'path';

import { exportSourceTree, repositoryRoot as root } from './source-tree.mjs';

const scannerPath = createRequire(import.meta.url).resolve(
	'@n8n/scan-community-package/scanner/scanner.mjs',
);
// The scanner makes a temp dir when loaded and only removes it on exit when told to.
createRequire(scannerPath)('tmp').setGracefulCleanup();
const { analyzePackage, findPackageRoot, SOURCE_FILE_PATTERNS } = await import(scannerPath);
const scannerVersion = JSON.parse(
	fs.readFileSync(path.join(path.dirname(scannerPath), '..', 'package.json'), 'utf8'),
).version;
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-scan-'));

function packTarball(dir) {
	const packed = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', work],
		{
			cwd: root,
		},
	)
		.toString()
		.trim()
		.split('\n')
		.pop();
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', path.join(work, packed), '-C', dir, '--strip-components=1']);
	return packed;
}

/** The scanner passes a leg with no files in it; a package whose nodes are missing must not. */
function missingRegisteredFiles(packageDir) {
	const registered = [...(manifest.n8n?.nodes ?? []), ...(manifest.n8n?.credentials ?? [])];
	return registered.filter((file) => !fs.existsSync(path.join(packageDir, file)));
}

/**
 * The scanner's no-restricted-imports lets code import any devDependency ("bundled at build"), but
 * tsc bundles nothing and n8n installs a community package without its devDependencies. So the
 * compiled code is linted once more as n8n installs it: package.json without devDependencies.
 */
function copyAsInstalled(packageDir, dir) {
	fs.cpSync(packageDir, dir, { recursive: true });
	// The rule reads the package.json nearest to each file: tsc also emits one into dist/.
	for (const file of fs.readdirSync(dir, { recursive: true })) {
		if (path.basename(file) !== 'package.json') continue;
		const manifestCopy = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
		delete manifestCopy.devDependencies;
		fs.writeFileSync(path.join(dir, file), JSON.stringify(manifestCopy, null, 2));
	}
	return dir;
}

function report(leg, result) {
	process.stdout.write(
		`${result.passed ? 'ok  ' : 'FAIL'} ${leg}${result.passed ? '' : `: ${result.message}`}\n`,
	);
	if (!result.passed && result.details) process.stdout.write(`${result.details}\n`);
	return result.passed;
}

try {
	process.stdout.write(`@n8n/scan-community-package ${scannerVersion}, offline legs:\n`);
	let passed = true;

	const sourceDir = path.join(work, 'source');
	exportSourceTree(sourceDir);
	const sourceRoot = findPackageRoot(sourceDir, manifest.name);
	if (sourceRoot !== sourceDir) {
		passed = report('source leg', {
			passed: false,
			message: `the scanner would take ${sourceRoot ?? 'no directory'} as the package root, not the repository root`,
		});
	} else {
		passed =
			report(
				`source leg (${SOURCE_FILE_PATTERNS.join(', ')})`,
				await analyzePackage(sourceRoot, SOURCE_FILE_PATTERNS),
			) && passed;
	}

	const packageDir = path.join(work, 'package');
	const packed = packTarball(packageDir);
	const missing = missingRegisteredFiles(packageDir);
	if (missing.length > 0) {
		passed = report(`tarball ${packed}`, {
			passed: false,
			message: `registered in package.json "n8n" but not packed (run npm run build first): ${missing.join(', ')}`,
		});
	} else {
		passed =
			report(
				`tarball leg ${packed} (**/*.js, package.json)`,
				await analyzePackage(packageDir, ['**/*.js', 'package.json']),
			) && passed;
		const installedDir = copyAsInstalled(packageDir, path.join(work, 'installed'));
		passed =
			report(
				'tarball as n8n installs it, without devDependencies (**/*.js)',
				await analyzePackage(installedDir, ['**/*.js']),
			) && passed;
	}

	process.stdout.write(
		'not run here (need the published package): provenance attestation, download of the attested GitHub source\n',
	);
	process.exitCode = passed ? 0 : 1;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
