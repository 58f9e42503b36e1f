/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The documentation links n8n shows (a credential's "Open docs", a node's codex resources) lead
 * to the README section that explains them: every `#anchor` of a link to this repository, in
 * credentials/ and nodes/ (code and codex .json files), is a heading of README.md as GitHub
 * renders it. GitHub's own `#readme` (the README block of the repository page) is allowed.
 */
import fs from 'fs';
import path from 'path';
import glob from 'fast-glob';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24OutboundWebhookApi } from '../../credentials/Bitrix24OutboundWebhookApi.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';
import { manifest, readText, repositoryRoot } from './repository';

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

const REPOSITORY_URL =
	'https://github.com/n8n-nodes-bitrix24-telephony/n8n-nodes-bitrix24-telephony';

/** GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, duplicates numbered. */
function githubAnchors(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	let inFence = false;
	for (const line of markdown.split('\n')) {
		if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
		const heading = !inFence && /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
		if (!heading) continue;
		const text = heading[1]
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/[`*_]/g, '')
			.trim();
		const slug = text
			.toLowerCase()
			.replace(/[^\p{Letter}\p{Number}\s-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

const files = glob.sync(['credentials/**/*.ts', 'nodes/**/*.{ts,json}'], { cwd: repositoryRoot });
const links = files.flatMap((file) =>
	[
		...readText(file).matchAll(
			/https:\/\/github\.com\/[\w.-]+\/[\w.-]+(?:\/[^\s'"`#)]*)?#([\w-]+)/g,
		),
	]
		.filter((match) => match[0].startsWith(`${REPOSITORY_URL}#`))
		.map((match) => ({ file, url: match[0], anchor: match[1] })),
);

test('the README headings are read as GitHub renders their anchors', () => {
	const anchors = githubAnchors(
		'# A b\n## Bitrix24 OAuth2 API\n```\n# not a heading\n```\n## A b\n',
	);
	expect([...anchors]).toEqual(['a-b', 'bitrix24-oauth2-api', 'a-b-1']);
});

test('each credential links to the README section named after it', () => {
	const credentials = [
		new Bitrix24WebhookApi(),
		new Bitrix24OAuth2Api(),
		new Bitrix24OutboundWebhookApi(),
	];
	expect(credentials.map((c) => c.name).sort()).toEqual(
		manifest.n8n.credentials
			.map((file) => lowerFirst(/(\w+)\.credentials\.js$/.exec(file)![1]))
			.sort(),
	);
	for (const credential of credentials) {
		const [section] = githubAnchors(`### ${credential.displayName}`);
		expect(credential.documentationUrl).toBe(`${REPOSITORY_URL}#${section}`);
	}
});

test('every documentation anchor in credentials/ and nodes/ is a README heading', () => {
	const anchors = githubAnchors(readText('README.md'));
	// Both codex files and all three credentials link somewhere.
	expect(new Set(links.map((link) => link.file)).size).toBeGreaterThanOrEqual(5);
	const broken = links.filter(
		(link) => link.anchor !== 'readme' && !anchors.has(link.anchor.toLowerCase()),
	);
	expect(broken).toEqual([]);
});

/**
 * The links between our own Markdown files (README, CONTRIBUTING, CHANGELOG, docs/): each relative
 * target is a file of the repository, and each `#anchor` into a Markdown file is one of its
 * headings, as GitHub renders them. Code spans and fenced blocks are not links.
 */
function relativeLinks(markdown: string): string[] {
	const prose = markdown.replace(/^\s*(```|~~~)[\s\S]*?^\s*\1/gm, '').replace(/`[^`\n]*`/g, '');
	return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
		.map((match) => match[1])
		.filter((target) => !/^[a-z][\w+.-]*:/i.test(target));
}

test('the links between our Markdown files lead to a file and a heading', () => {
	const documents = glob.sync(['*.md', 'docs/**/*.md'], { cwd: repositoryRoot });
	const broken: string[] = [];
	let checked = 0;
	for (const document of documents) {
		for (const target of relativeLinks(readText(document))) {
			checked++;
			const [file, anchor] = target.split('#');
			const resolved = file
				? path.posix.normalize(path.posix.join(path.posix.dirname(document), file))
				: document;
			if (!fs.existsSync(path.join(repositoryRoot, resolved))) {
				broken.push(`${document}: ${target} (no ${resolved})`);
				continue;
			}
			if (anchor && resolved.endsWith('.md') && !githubAnchors(readText(resolved)).has(anchor))
				broken.push(`${document}: ${target} (no heading #${anchor} in ${resolved})`);
		}
	}
	expect(checked).toBeGreaterThan(50);
	expect(broken).toEqual([]);
});
