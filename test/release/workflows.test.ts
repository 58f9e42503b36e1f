/**
 * The GitHub workflows cannot run here, so their shape is checked: CI runs .ci/run, and the
 * publish workflow runs those same checks first, then publishes with npm provenance on a version
 * tag, calling nothing CI does not already run.
 */
import {
	manifest,
	matchesGitHubTagPattern,
	npmScriptsCalledBy,
	readText,
	readWorkflow,
	scriptsReachedFrom,
	type WorkflowStep,
} from './repository';

const ci = readWorkflow('ci.yml');
const publish = readWorkflow('publish.yml');
const ciRun = readText('.ci/run');
const scriptsCiRuns = scriptsReachedFrom(npmScriptsCalledBy(ciRun));

function runCommands(steps: WorkflowStep[] | undefined): string[] {
	return (steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run.trim()]));
}

function usedActions(steps: WorkflowStep[] | undefined): string[] {
	return (steps ?? []).flatMap((step) =>
		step.uses === undefined ? [] : [step.uses.split('@')[0]],
	);
}

describe('.ci/run', () => {
	test('calls only npm scripts that exist, down to the scripts they call', () => {
		expect([...scriptsCiRuns].filter((name) => manifest.scripts[name] === undefined)).toEqual([]);
		for (const name of ['build', 'lint', 'lint:tarball', 'typecheck', 'test']) {
			expect(scriptsCiRuns).toContain(name);
		}
	});

	test('installs from the lockfile', () => {
		expect(ciRun).toMatch(/^npm ci\b/m);
	});

	test('the lint it runs is the node CLI in strict mode', () => {
		expect(manifest.scripts.lint).toMatch(/^n8n-node lint\b/);
		expect(manifest.n8n.strict).toBe(true);
	});
});

describe('ci.yml', () => {
	test('runs on pushes to main, on pull requests, and when another workflow calls it', () => {
		expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push', 'workflow_call']);
		expect(ci.on.push).toEqual({ branches: ['main'] });
	});

	test('reads the repository and nothing more', () => {
		expect(ci.permissions).toEqual({ contents: 'read' });
	});

	test('one job checks out, sets up the Node the package supports, and runs .ci/run', () => {
		const jobs = Object.values(ci.jobs);
		expect(jobs).toHaveLength(1);
		const [job] = jobs;
		expect(usedActions(job.steps)).toEqual([
			'actions/checkout',
			'actions/setup-node',
			'actions/cache',
		]);
		expect(runCommands(job.steps)).toEqual(['.ci/run']);
		const setupNode = job.steps?.find((step) => step.uses?.startsWith('actions/setup-node'));
		const engineMajor = /(\d+)/.exec(manifest.engines?.node ?? '')?.[1];
		expect(String(setupNode?.with?.['node-version'])).toBe(engineMajor);
	});

	test('caches the n8n runtimes under the key of the file that pins them', () => {
		const cache = Object.values(ci.jobs)[0].steps?.find((step) =>
			step.uses?.startsWith('actions/cache'),
		);
		expect(cache?.with?.path).toBe('~/.cache/n8n-nodes-bitrix24-telephony');
		expect(String(cache?.with?.key)).toContain("hashFiles('scripts/n8n-runtime/versions.json')");
		expect(() => JSON.parse(readText('scripts/n8n-runtime/versions.json'))).not.toThrow();
	});
});

describe('publish.yml', () => {
	const checks = publish.jobs.checks;
	const publishJob = publish.jobs.publish;

	test('runs only when a version tag is pushed, and this version has a tag it matches', () => {
		expect(Object.keys(publish.on)).toEqual(['push']);
		const push = publish.on.push as Record<string, string[]>;
		expect(Object.keys(push)).toEqual(['tags']);
		expect(
			push.tags.some((pattern) => matchesGitHubTagPattern(pattern, `v${manifest.version}`)),
		).toBe(true);
		for (const notARelease of ['main', 'v0.2', 'release/v0.2.0', '0.2.0']) {
			expect(push.tags.some((pattern) => matchesGitHubTagPattern(pattern, notARelease))).toBe(
				false,
			);
		}
	});

	test('may mint the OIDC token npm provenance needs, and may not write to the repository', () => {
		expect(publish.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(publishJob.permissions).toBeUndefined();
	});

	test('publishes only after the CI workflow itself has passed', () => {
		expect(Object.keys(publish.jobs).sort()).toEqual(['checks', 'publish']);
		expect(checks.uses).toBe('./.github/workflows/ci.yml');
		expect(publishJob.needs).toBe('checks');
	});

	test('calls only what CI already runs, then npm publish with provenance, public', () => {
		const commands = runCommands(publishJob.steps);
		const tagGuard = commands.filter((command) => command.startsWith('test "$GITHUB_REF_NAME"'));
		expect(tagGuard).toEqual([
			'test "$GITHUB_REF_NAME" = "v$(node -p "require(\'./package.json\').version")"',
		]);
		const rest = commands.filter((command) => !tagGuard.includes(command));
		expect(rest[rest.length - 1]).toBe('npm publish --provenance --access public');
		for (const command of rest.slice(0, -1)) {
			if (command.startsWith('npm ci')) {
				expect(ciRun).toContain(command);
				continue;
			}
			const [script, ...more] = npmScriptsCalledBy(command);
			expect(more).toEqual([]);
			expect(command).toBe(`npm run ${script}`);
			expect(scriptsCiRuns).toContain(script);
		}
		expect(rest).toContain('npm run build');
	});

	test('npm publish authenticates against the public registry', () => {
		const setupNode = publishJob.steps?.find((step) => step.uses?.startsWith('actions/setup-node'));
		expect(setupNode?.with?.['registry-url']).toBe('https://registry.npmjs.org');
		const publishStep = publishJob.steps?.find((step) => step.run?.startsWith('npm publish'));
		expect(publishStep?.env).toEqual({ NODE_AUTH_TOKEN: '${{ secrets.NPM_TOKEN }}' });
	});

	test('npm would run no lifecycle script of ours while publishing', () => {
		const lifecycle = [
			'prepublish',
			'prepublishOnly',
			'prepack',
			'prepare',
			'postpack',
			'publish',
			'postpublish',
		];
		expect(lifecycle.filter((name) => manifest.scripts[name] !== undefined)).toEqual([]);
	});
});
