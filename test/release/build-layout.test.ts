/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * `npm run build` (tsc, then gulp copying icons) must lay out dist/ as `n8n-node build` does:
 * the same tsc over the same tsconfig.json, then every .png/.svg and __schema__ JSON of the tree
 * copied to the same path under dist/. Our gulpfile copies icons from nodes/ and credentials/ and
 * output schemas from nodes/ only, so those are the only places such files may live. `node scripts/compare-n8n-node-build.mjs`
 * runs both builds on copies of the tree and compares their output file by file.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import glob from 'fast-glob';

import { manifest, readText, repositoryRoot } from './repository';

/** What `n8n-node build` (@n8n/node-cli 0.48.3, copyStaticFiles) copies besides tsc's output. */
const NODE_CLI_STATIC_FILES = ['**/*.{png,svg}', '**/__schema__/**/*.json'];
/** Local output the node CLI would also sweep up; git ignores it, so a clean clone has none. */
const GITIGNORED_OUTPUT = ['dist', 'node_modules', 'coverage', '.tmp'];

test('the build is tsc over tsconfig.json, then the gulp icon copy', () => {
	expect(manifest.scripts.build).toBe('rimraf dist && tsc -p tsconfig.json && gulp build:icons');
	const gulpfile = readText('gulpfile.js');
	expect(gulpfile).toContain("path.resolve('nodes', '**', '*.{png,svg}')");
	expect(gulpfile).toContain("path.resolve('credentials', '**', '*.{png,svg}')");
	expect(gulpfile).toContain("path.resolve('nodes', '**', '__schema__', '**', '*.json')");
});

test('every static file n8n-node build would copy lives where the gulp task copies from', () => {
	const staticFiles = glob.sync(NODE_CLI_STATIC_FILES, {
		cwd: repositoryRoot,
		ignore: GITIGNORED_OUTPUT.map((dir) => `${dir}/**`),
		dot: true,
	});
	expect(staticFiles.length).toBeGreaterThan(0);
	expect(
		staticFiles.filter(
			(file) =>
				!/^(nodes|credentials)\/.+\.(png|svg)$/.test(file) &&
				!/^nodes\/.+\/__schema__\/.+\.json$/.test(file),
		),
	).toEqual([]);
});

test('tsc emits every registered node and credential from nodes/ and credentials/', () => {
	const tsconfig = JSON.parse(readText('tsconfig.json')) as {
		compilerOptions: { outDir: string };
		include: string[];
	};
	expect(tsconfig.compilerOptions.outDir.replace(/^\.\//, '').replace(/\/$/, '')).toBe('dist');
	for (const registered of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		const source = registered.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		expect(fs.existsSync(`${repositoryRoot}/${source}`)).toBe(true);
		expect(tsconfig.include.some((pattern) => source.startsWith(pattern.split('/')[0] + '/'))).toBe(
			true,
		);
	}
});

test('the output schemas reach dist/ byte for byte, and the packed tarball carries them', () => {
	const schemas = glob.sync('nodes/**/__schema__/**/*.json', { cwd: repositoryRoot });
	expect(schemas.length).toBeGreaterThanOrEqual(24);
	// The copy step of the build (gulp, after tsc) and `npm pack`, in a scratch copy of what they read.
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-schema-layout-'));
	try {
		for (const file of ['package.json', 'gulpfile.js', ...schemas]) {
			fs.mkdirSync(path.dirname(path.join(work, file)), { recursive: true });
			fs.copyFileSync(path.join(repositoryRoot, file), path.join(work, file));
		}
		fs.symlinkSync(path.join(repositoryRoot, 'node_modules'), path.join(work, 'node_modules'));
		execFileSync('npx', ['gulp', 'build:icons'], { cwd: work, stdio: 'ignore' });
		for (const file of schemas)
			expect(fs.readFileSync(path.join(work, 'dist', file))).toEqual(
				fs.readFileSync(path.join(repositoryRoot, file)),
			);
		const [packed] = JSON.parse(
			execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
				cwd: work,
				encoding: 'utf8',
			}),
		) as Array<{ files: Array<{ path: string }> }>;
		const inTarball = packed.files.map((entry) => entry.path);
		expect(inTarball).toEqual(expect.arrayContaining(schemas.map((file) => `dist/${file}`)));
		// Where n8n looks for them: next to the registered node file.
		for (const node of manifest.n8n.nodes.filter((n) => n.includes('Bitrix24Telephony.node')))
			expect(inTarball).toContain(`${path.dirname(node)}/__schema__/v1.2.0/call/register.json`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}, 60_000);
