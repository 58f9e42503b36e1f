/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * Runs the sandbox portal standalone:
 *   npx tsx sandbox/cli.ts --port 18765 --seed demo [--webhook-code CODE] [--auth-type-mode doc] [--rate-limit standard|enterprise]
 *     [--server-time telephony.externalcall.register=0.2,telephony.externalcall.finish=0.3,*=0.01]
 *     [--operating-limit 480] [--request-limit 60] [--cut-off gatewayTimeout|drop]
 *     [--timeman tracked|NOT_INSTALLED|UNAVAILABLE]
 * Prints the URLs as JSON and serves until SIGINT/SIGTERM.
 */
import { PLAN_LIMITS, startSandbox } from './index';
import type { ServerTimeOptions } from './server-time';
import type { SandboxOptions } from './types';

function argument(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}

/** "method=seconds,…,*=seconds" → the serverTime option; undefined when no time flag is given. */
function serverTimeArguments(): ServerTimeOptions | undefined {
	const perMethodText = argument('server-time');
	const limit = argument('request-limit');
	const cutOff = argument('cut-off');
	if (perMethodText === undefined && limit === undefined && cutOff === undefined) return undefined;
	const perMethod: Record<string, number> = {};
	let defaultSeconds: number | undefined;
	for (const pair of (perMethodText ?? '').split(',').filter(Boolean)) {
		const [method, seconds] = pair.split('=');
		if (!Number.isFinite(Number(seconds))) throw new Error(`--server-time: bad pair ${pair}`);
		if (method === '*') defaultSeconds = Number(seconds);
		else perMethod[method.toLowerCase()] = Number(seconds);
	}
	if (cutOff !== undefined && cutOff !== 'gatewayTimeout' && cutOff !== 'drop')
		throw new Error(`--cut-off must be gatewayTimeout or drop, got ${cutOff}`);
	return {
		perMethod,
		defaultSeconds,
		requestLimitSeconds: limit === undefined ? undefined : Number(limit),
		cutOffAnswer: cutOff,
	};
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
		serverTime: serverTimeArguments(),
	};
	const operatingLimit = argument('operating-limit');
	if (operatingLimit !== undefined)
		options.operatingLimit = { limitSeconds: Number(operatingLimit) };
	const timeman = argument('timeman');
	if (timeman === 'tracked' || timeman === 'NOT_INSTALLED' || timeman === 'UNAVAILABLE')
		options.timeman = timeman;
	else if (timeman !== undefined) throw new Error(`--timeman: unknown value ${timeman}`);
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
