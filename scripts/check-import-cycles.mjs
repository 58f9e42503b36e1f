#!/usr/bin/env node
/**
 * Fails when two or more of our modules import each other, directly or round a longer loop, and
 * prints each loop. A circle means neither module can be read, tested or loaded without the
 * other, and at run time one of them sees the other half-initialised.
 *
 * Every relative import counts: `import`, `import type`, `export … from`, `require()` and
 * `import()`, as TypeScript's own pre-processor finds them (node_modules/typescript, so no new
 * dependency). Type-only imports count too: they still tie the two files' designs together.
 * Package imports are not followed. Files outside the scanned folders are followed when our
 * files import them, so a loop through them is still found.
 *
 *   node scripts/check-import-cycles.mjs [--root DIR] [folder …]
 *
 * Folders default to those below; --root defaults to the repository. Exit 0: no cycle; 1: cycles
 * (printed to stderr); 2: bad usage.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ts = require('typescript');

const DEFAULT_FOLDERS = ['nodes', 'credentials', 'shared', 'sandbox', 'test/helpers', 'scripts', 'bench'];
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', 'dist', '.git']);

function parseArguments(argv) {
	let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
	const folders = [];
	for (let index = 0; index < argv.length; index++) {
		if (argv[index] === '--root') {
			if (argv[index + 1] === undefined) return null;
			root = path.resolve(argv[++index]);
		} else if (argv[index].startsWith('-')) return null;
		else folders.push(argv[index]);
	}
	return { root, folders: folders.length > 0 ? folders : DEFAULT_FOLDERS };
}

function isSourceFile(file) {
	return SOURCE_EXTENSIONS.includes(path.extname(file)) && !file.endsWith('.d.ts');
}

function sourceFilesUnder(directory) {
	if (!existsSync(directory)) return [];
	const files = [];
	for (const entry of readdirSync(directory, { withFileTypes: true })) {
		const full = path.join(directory, entry.name);
		if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name))
			files.push(...sourceFilesUnder(full));
		else if (entry.isFile() && isSourceFile(full)) files.push(full);
	}
	return files;
}

function isFile(candidate) {
	return existsSync(candidate) && statSync(candidate).isFile();
}

/** The file a relative specifier names, the way TypeScript and Node resolve it; null if none. */
function resolveRelative(fromFile, specifier) {
	const base = path.resolve(path.dirname(fromFile), specifier);
	// `./x.js` in TypeScript sources names `./x.ts`.
	const withoutJs = base.replace(/\.(c|m)?js$/, '');
	const candidates = [
		base,
		...SOURCE_EXTENSIONS.map((extension) => base + extension),
		...SOURCE_EXTENSIONS.map((extension) => withoutJs + extension.replace('js', 'ts')),
		...SOURCE_EXTENSIONS.map((extension) => path.join(base, `index${extension}`)),
	];
	return candidates.find((candidate) => isSourceFile(candidate) && isFile(candidate)) ?? null;
}

function relativeImports(file) {
	const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
	return importedFiles
		.map((imported) => imported.fileName)
		.filter((specifier) => specifier.startsWith('./') || specifier.startsWith('../'));
}

/** file → the files it imports, from the scanned folders and everything they reach. */
export function importGraph(root, folders) {
	const graph = new Map();
	const pending = folders.flatMap((folder) => sourceFilesUnder(path.join(root, folder)));
	while (pending.length > 0) {
		const file = pending.pop();
		if (graph.has(file)) continue;
		const targets = new Set();
		for (const specifier of relativeImports(file)) {
			const target = resolveRelative(file, specifier);
			if (target === null || !target.startsWith(root + path.sep)) continue;
			if (target.split(path.sep).some((part) => SKIPPED_DIRECTORIES.has(part))) continue;
			targets.add(target);
			pending.push(target);
		}
		graph.set(file, [...targets].sort());
	}
	return graph;
}

/** Tarjan's strongly connected components with more than one file, or a file importing itself. */
function circularComponents(graph) {
	const index = new Map();
	const lowLink = new Map();
	const stack = [];
	const onStack = new Set();
	const components = [];
	let counter = 0;
	const visit = (file) => {
		index.set(file, counter);
		lowLink.set(file, counter);
		counter++;
		stack.push(file);
		onStack.add(file);
		for (const target of graph.get(file) ?? []) {
			if (!index.has(target)) {
				visit(target);
				lowLink.set(file, Math.min(lowLink.get(file), lowLink.get(target)));
			} else if (onStack.has(target)) {
				lowLink.set(file, Math.min(lowLink.get(file), index.get(target)));
			}
		}
		if (lowLink.get(file) !== index.get(file)) return;
		const component = [];
		let member;
		do {
			member = stack.pop();
			onStack.delete(member);
			component.push(member);
		} while (member !== file);
		if (component.length > 1 || (graph.get(file) ?? []).includes(file))
			components.push(component.sort());
	};
	for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
	return components;
}

/** One loop through a component, from its first file back to it (shortest, breadth-first). */
function loopThrough(graph, component) {
	const members = new Set(component);
	const start = component[0];
	const previous = new Map();
	const queue = [start];
	while (queue.length > 0) {
		const file = queue.shift();
		for (const target of graph.get(file) ?? []) {
			if (!members.has(target)) continue;
			if (target === start) {
				const loop = [start];
				for (let step = file; step !== start; step = previous.get(step)) loop.splice(1, 0, step);
				return [...loop, start];
			}
			if (!previous.has(target)) {
				previous.set(target, file);
				queue.push(target);
			}
		}
	}
	return [start, start];
}

/** Each import cycle as the list of files round its loop (first file repeated at the end). */
export function findImportCycles(root, folders = DEFAULT_FOLDERS) {
	const graph = importGraph(root, folders);
	return {
		files: graph.size,
		cycles: circularComponents(graph).map((component) =>
			loopThrough(graph, component).map((file) => path.relative(root, file)),
		),
	};
}

function main() {
	const options = parseArguments(process.argv.slice(2));
	if (options === null) {
		console.error('usage: node scripts/check-import-cycles.mjs [--root DIR] [folder …]');
		return 2;
	}
	const { files, cycles } = findImportCycles(options.root, options.folders);
	if (cycles.length === 0) {
		console.log(`No import cycles among ${files} files (${options.folders.join(', ')}).`);
		return 0;
	}
	console.error(`${cycles.length} import cycle(s) among ${files} files:`);
	for (const cycle of cycles) console.error(`  ${cycle.join(' -> ')}`);
	console.error('Break each: move the shared part to a third module, or make one side not import.');
	return 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
	process.exitCode = main();
