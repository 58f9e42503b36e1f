#!/usr/bin/env node
/**
 * How many of our source files a Register goes through: the imports reached from
 * Bitrix24Telephony.node.ts, not following the other operations' files (`*.operation.ts`
 * other than Register's) nor the editor's pickers (`methods/`). A measure of how far a reader
 * has to go to follow one operation; printed, not asserted.
 *
 *   node scripts/count-register-files.mjs [--list]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { importGraph } from './check-import-cycles.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const start = path.join(root, 'nodes/Bitrix24Telephony/Bitrix24Telephony.node.ts');
const graph = importGraph(root, ['nodes/Bitrix24Telephony', 'credentials', 'shared']);
const skipped = (file) =>
	(file.endsWith('.operation.ts') && !file.endsWith('/register.operation.ts')) ||
	file.includes(`${path.sep}methods${path.sep}`);

const reached = new Set([start]);
const pending = [start];
while (pending.length > 0) {
	for (const target of graph.get(pending.pop()) ?? []) {
		if (reached.has(target) || skipped(target)) continue;
		reached.add(target);
		pending.push(target);
	}
}
if (process.argv.includes('--list'))
	for (const file of [...reached].sort()) console.log(path.relative(root, file));
console.log(`${reached.size} files reached from Bitrix24Telephony.node.ts to send a Register`);
