#!/usr/bin/env node
/**
 * n8n's default lint config (strict mode forbids changing it) applies to every .ts file the rules
 * written for code that runs inside n8n Cloud. Tooling (tests, sandbox, bench, scripts) runs in
 * plain Node and is never published, so each such file carries one first-line eslint-disable that
 * names exactly the rules it trips. This writes or updates that line after lint fails on a tooling
 * file; it never touches nodes/ or credentials/, and leaves every other rule's errors for you.
 *
 *   node scripts/exempt-tooling.mjs && npm run lint
 */
import fs from 'fs';
import path from 'path';
import { ESLint } from 'eslint';

import { repositoryRoot } from './source-tree.mjs';

const REASONS = {
	test: 'test code runs in Jest on Node, never inside n8n, and is not published',
	sandbox:
		'the sandbox portal is a Node server of its own, never loaded by n8n, and is not published',
	bench: 'benchmarks run in Node, never inside n8n, and are not published',
	scripts: 'development scripts run in Node, never inside n8n, and are not published',
};
/** Rules about running inside n8n, or about real node classes (test fixtures imitate those). */
const EXEMPTIBLE = new Set([
	'@n8n/community-nodes/no-restricted-globals',
	'@n8n/community-nodes/no-restricted-imports',
	'@n8n/community-nodes/no-dangerous-functions',
	'@n8n/community-nodes/no-hardcoded-secrets',
	'@n8n/community-nodes/node-usable-as-tool',
	'@n8n/community-nodes/require-node-api-error',
	'no-console',
]);
const DIRECTIVE = /^\/\* eslint-disable ([^*]*?) -- [^*]*\*\/\n/;

const eslint = new ESLint({ cwd: repositoryRoot });
const results = await eslint.lintFiles(Object.keys(REASONS).map((dir) => `${dir}/**/*.ts`));
let changed = 0;
for (const result of results) {
	const file = path.relative(repositoryRoot, result.filePath);
	const reason = REASONS[file.split(path.sep)[0]];
	const tripped = result.messages.filter((m) => m.severity === 2 && EXEMPTIBLE.has(m.ruleId));
	if (!reason || tripped.length === 0) continue;
	const source = fs.readFileSync(result.filePath, 'utf8');
	const existing = DIRECTIVE.exec(source);
	const rules = new Set(existing ? existing[1].split(/,\s*/) : []);
	for (const message of tripped) rules.add(message.ruleId);
	const line = `/* eslint-disable ${[...rules].sort().join(', ')} -- ${reason} */\n`;
	fs.writeFileSync(result.filePath, line + (existing ? source.slice(existing[0].length) : source));
	process.stdout.write(`${file}: ${[...rules].length} rule(s) exempted\n`);
	changed += 1;
}
process.stdout.write(`${changed} tooling file(s) updated\n`);
