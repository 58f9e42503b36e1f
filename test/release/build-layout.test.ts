/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * `npm run build` (tsc, then gulp copying icons) must lay out dist/ as `n8n-node build` does:
 * the same tsc over the same tsconfig.json, then every .png/.svg and __schema__ JSON of the tree
 * copied to the same path under dist/. Our gulpfile copies icons from nodes/ and credentials/
 * only, so those are the only places such files may live. `node scripts/compare-n8n-node-build.mjs`
 * runs both builds on copies of the tree and compares their output file by file.
 */
import fs from 'fs';
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
});

test('every static file n8n-node build would copy lives where the gulp task copies from', () => {
	const staticFiles = glob.sync(NODE_CLI_STATIC_FILES, {
		cwd: repositoryRoot,
		ignore: GITIGNORED_OUTPUT.map((dir) => `${dir}/**`),
		dot: true,
	});
	expect(staticFiles.length).toBeGreaterThan(0);
	expect(staticFiles.filter((file) => !/^(nodes|credentials)\/.+\.(png|svg)$/.test(file))).toEqual(
		[],
	);
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
