/** The repository as a commit of this working tree would contain it, for checks that need a copy. */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';

export const repositoryRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Copies the tracked and untracked (not git-ignored) files into `dir`; returns their paths. */
export function exportSourceTree(dir) {
	const files = execFileSync(
		'git',
		['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
		{
			cwd: repositoryRoot,
		},
	)
		.toString()
		.split('\0')
		// Deleted but still tracked files are gone; a symlinked node_modules is not a source file.
		.filter(
			(file) =>
				file && fs.lstatSync(path.join(repositoryRoot, file), { throwIfNoEntry: false })?.isFile(),
		);
	for (const file of files) {
		fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
		fs.copyFileSync(path.join(repositoryRoot, file), path.join(dir, file));
	}
	return files;
}
