/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * Runs the sandbox portal standalone:
 *   npx tsx sandbox/cli.ts --port 18765 --seed demo [--webhook-code CODE] [--auth-type-mode doc] [--rate-limit standard|enterprise]
 * Prints the URLs as JSON and serves until SIGINT/SIGTERM.
 */
import { PLAN_LIMITS, startSandbox } from './index';
import type { SandboxOptions } from './types';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<void> {
	const seed = argument('seed') ?? 'demo';
	if (seed !== 'demo' && seed !== 'empty')
		throw new Error(`--seed must be demo or empty, got ${seed}`);
	const authTypeMode = argument('auth-type-mode');
	const plan = argument('rate-limit');
	const options: SandboxOptions = {
		port: Number(argument('port') ?? 0),
		seed,
		webhook: { code: argument('webhook-code') },
		authTypeMode: authTypeMode === 'doc' ? 'doc' : 'src',
		rateLimit: plan === 'standard' || plan === 'enterprise' ? PLAN_LIMITS[plan] : false,
	};
	const sandbox = await startSandbox(options);
	process.stdout.write(
		`${JSON.stringify({ url: sandbox.url, webhookUrl: sandbox.webhookUrl, webhookCode: sandbox.webhookCode, tokenUrl: sandbox.oauth.tokenUrl, authorizeUrl: sandbox.oauth.authorizeUrl })}\n`,
	);
	const stop = () => {
		sandbox.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
