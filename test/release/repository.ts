/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/** Reads the repository's own release files: package.json, .ci/run and the GitHub workflows. */
import fs from 'fs';
import path from 'path';
import { parse } from 'yaml';

export const repositoryRoot = path.resolve(__dirname, '..', '..');

export function readText(relativePath: string): string {
	return fs.readFileSync(path.join(repositoryRoot, relativePath), 'utf8');
}

export interface PackageManifest {
	name: string;
	version: string;
	scripts: Record<string, string>;
	engines?: Record<string, string>;
	n8n: { strict?: boolean; nodes: string[]; credentials: string[] };
	[field: string]: unknown;
}

export const manifest = JSON.parse(readText('package.json')) as PackageManifest;

export interface WorkflowStep {
	name?: string;
	uses?: string;
	run?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}

export interface WorkflowJob {
	'runs-on'?: string;
	uses?: string;
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps?: WorkflowStep[];
}

export interface Workflow {
	name: string;
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, WorkflowJob>;
}

/** Parses a workflow strictly: duplicate keys or YAML errors fail the test, as GitHub rejects them. */
export function readWorkflow(file: string): Workflow {
	return parse(readText(path.join('.github', 'workflows', file)), {
		strict: true,
		uniqueKeys: true,
		prettyErrors: true,
	}) as Workflow;
}

/** The npm scripts a shell script runs with `npm run <name>` or `npm test`. */
export function npmScriptsCalledBy(shell: string): string[] {
	const called = [...shell.matchAll(/\bnpm run ([\w:-]+)/g)].map((match) => match[1]);
	if (/\bnpm (test|t)\b/.test(shell)) called.push('test');
	return called;
}

/** Every npm script `names` reach, following `npm run` inside the scripts themselves. */
export function scriptsReachedFrom(names: string[]): Set<string> {
	const reached = new Set<string>();
	const pending = [...names];
	while (pending.length > 0) {
		const name = pending.pop() as string;
		if (reached.has(name)) continue;
		reached.add(name);
		const body = manifest.scripts[name];
		if (body !== undefined) pending.push(...npmScriptsCalledBy(body));
	}
	return reached;
}

/** GitHub's filter pattern for tags: `*` matches any run of characters except `/`. */
export function matchesGitHubTagPattern(pattern: string, tag: string): boolean {
	const source = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('[^/]*');
	return new RegExp(`^${source}$`).test(tag);
}
