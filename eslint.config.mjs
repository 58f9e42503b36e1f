// The configuration of n8n's node CLI, which is also what the verification scanner applies
// to a package's nodes/, credentials/ and package.json. Tooling outside the package
// (tests, sandbox, scripts, benchmarks) is not shipped and is not linted by these rules.
import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{ ignores: ['test/**', 'sandbox/**', 'scripts/**', 'bench/**', 'examples/**', 'coverage/**', '*.js', '*.mjs'] },
];
