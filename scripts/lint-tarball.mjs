#!/usr/bin/env node
/**
 * Lints what npm would publish the way n8n's verification scanner (@n8n/scan-community-package
 * 0.32.0, scanner/scanner.mjs) lints a package's tarball: every .js, .ts and .json file of the
 * packed package, with the community-nodes recommended rules, no-console, and the
 * n8n-nodes-base community/credentials/nodes rule sets; inline eslint-disable comments ignored.
 *
 *   npm run build && npm run lint:tarball
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';
import { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import n8nNodesPlugin from 'eslint-plugin-n8n-nodes-base';
import glob from 'fast-glob';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-tarball-lint-'));

try {
	const packed = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', work],
		{ cwd: root },
	)
		.toString()
		.trim()
		.split('\n')
		.pop();
	const packageDir = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, packed), '-C', work]);

	const config = defineConfig(
		n8nCommunityNodesPlugin.configs.recommended,
		{ rules: { 'no-console': 'error' } },
		{ plugins: { 'n8n-nodes-base': n8nNodesPlugin } },
		{ files: ['package.json'], rules: { ...n8nNodesPlugin.configs.community.rules } },
		{
			files: ['**/credentials/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.credentials.rules,
				'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
				'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
			},
		},
		{
			files: ['**/nodes/**/*.ts'],
			rules: {
				...n8nNodesPlugin.configs.nodes.rules,
				'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
				'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
				'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
			},
		},
		{ files: ['**/*.json'], languageOptions: { parser: tseslint.parser } },
		{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
	);
	const eslint = new ESLint({
		cwd: packageDir,
		allowInlineConfig: false,
		overrideConfigFile: true,
		overrideConfig: config,
	});
	const files = glob.sync(['**/*.js', '**/*.ts', '**/*.json'], {
		cwd: packageDir,
		absolute: true,
		ignore: ['node_modules/**', '**/package-lock.json'],
	});
	const results = await eslint.lintFiles(files);
	const formatter = await eslint.loadFormatter('stylish');
	const report = await formatter.format(results);
	const errors = results.reduce((sum, r) => sum + r.errorCount, 0);
	const warnings = results.reduce((sum, r) => sum + r.warningCount, 0);
	if (report) process.stdout.write(report);
	process.stdout.write(
		`Tarball ${packed}: ${files.length} files linted, ${errors} errors, ${warnings} warnings\n`,
	);
	process.exitCode = errors > 0 ? 1 : 0;
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
