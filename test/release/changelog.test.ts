/** A version tag publishes package.json's version: the changelog must say what is in it. */
import { manifest, readText } from './repository';

const changelog = readText('CHANGELOG.md');
const versions = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\]/gm)].map((match) => match[1]);

test('the newest changelog entry is the version package.json would publish', () => {
	expect(versions[0]).toBe(manifest.version);
});

test('every version heading has a link reference, newest first', () => {
	for (const version of versions)
		expect(changelog).toMatch(new RegExp(`^\\[${version.replace(/\./g, '\\.')}\\]: https://`, 'm'));
	const sorted = [...versions].sort((a, b) => b.localeCompare(a, undefined, { numeric: true }));
	expect(versions).toEqual(sorted);
});
