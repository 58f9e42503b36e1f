// Copies the node and credential icons next to the compiled JavaScript (tsc only emits code), and
// the nodes' output schemas (__schema__/**/*.json, which n8n serves to the editor) byte for byte:
// tsc also emits them, re-indented, because tsconfig includes nodes/**/*.json for the codex files;
// `n8n-node build` copies them over tsc's output the same way.
const path = require('path');
const { task, src, dest, parallel } = require('gulp');

function copyNodeIcons() {
	return src(path.resolve('nodes', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
}

function copyCredentialIcons() {
	return src(path.resolve('credentials', '**', '*.{png,svg}'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'credentials')),
	);
}

function copyNodeSchemas() {
	return src(path.resolve('nodes', '**', '__schema__', '**', '*.json'), { encoding: false }).pipe(
		dest(path.resolve('dist', 'nodes')),
	);
}

task('build:icons', parallel(copyNodeIcons, copyCredentialIcons, copyNodeSchemas));
