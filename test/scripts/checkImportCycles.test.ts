/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published; it runs the cycle checker as npm run lint does */
/**
 * scripts/check-import-cycles.mjs, run as `npm run lint` runs it: a cycle in a fixture tree
 * fails with the loop printed (type-only imports, re-exports, index files and require count), an
 * acyclic tree passes, and so does this repository.
 */
import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const CHECKER = path.join(REPO, 'scripts/check-import-cycles.mjs');

function check(args: string[]): { status: number | null; stdout: string; stderr: string } {
	const result = spawnSync(process.execPath, [CHECKER, ...args], { encoding: 'utf8' });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('check-import-cycles', () => {
	let root: string;
	const write = (file: string, text: string) => {
		mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
		writeFileSync(path.join(root, file), text);
	};

	beforeEach(() => {
		root = mkdtempSync(path.join(tmpdir(), 'import-cycles-'));
	});
	afterEach(() => rmSync(root, { recursive: true, force: true }));

	it('fails on a circle made of a type-only import and prints the loop', () => {
		write('nodes/a.ts', "import type { B } from './b';\nexport interface A { b?: B }\n");
		write(
			'nodes/b.ts',
			"import { helper } from './c';\nimport type { A } from './a';\nexport type B = A;\n",
		);
		write('nodes/c.ts', 'export const helper = 1;\n');

		const result = check(['--root', root]);

		expect(result.status).toBe(1);
		expect(result.stderr).toContain('1 import cycle(s)');
		expect(result.stderr).toContain(
			`${path.join('nodes', 'a.ts')} -> ${path.join('nodes', 'b.ts')} -> ${path.join('nodes', 'a.ts')}`,
		);
		expect(result.stderr).not.toContain('c.ts');
	});

	it('follows re-exports, index files and require() across folders', () => {
		write('sandbox/index.ts', "export * from './runtime';\n");
		write(
			'sandbox/runtime.ts',
			"import { tool } from '../scripts/tool';\nexport const run = tool;\n",
		);
		write(
			'scripts/tool.js',
			"const sandbox = require('../sandbox');\nmodule.exports = { tool: sandbox };\n",
		);

		const result = check(['--root', root]);

		expect(result.status).toBe(1);
		expect(result.stderr).toContain(
			[
				path.join('sandbox', 'index.ts'),
				path.join('sandbox', 'runtime.ts'),
				path.join('scripts', 'tool.js'),
				path.join('sandbox', 'index.ts'),
			].join(' -> '),
		);
	});

	it('passes a tree whose imports point one way, ignoring packages', () => {
		write(
			'nodes/a.ts',
			"import { b } from './b';\nimport { DateTime } from 'luxon';\nexport const a = [b, DateTime];\n",
		);
		write(
			'nodes/b.ts',
			"import type { INode } from 'n8n-workflow';\nexport const b: INode[] = [];\n",
		);

		const result = check(['--root', root]);

		expect(result.status).toBe(0);
		expect(result.stdout).toContain('No import cycles among 2 files');
	});

	it('passes on this repository', () => {
		const result = check([]);

		expect(result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});
