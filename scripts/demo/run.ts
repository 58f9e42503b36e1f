/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- development scripts run in Node, never inside n8n, and are not published */
/**
 * `npm run demo`: our package working in real n8n, in one command.
 *
 * Builds and packs the package, installs n8n (the first time only; it takes a few minutes),
 * starts the sandbox Bitrix24 portal, starts n8n with the package installed as a community
 * package, a credential for the portal and the example workflows, sends two simulated incoming
 * calls through the PBX-webhook example, prints what happened, and runs until Ctrl-C.
 *
 * Environment: DEMO_N8N_PORT (default 5678, or a free port if taken); DEMO_EXIT_AFTER_START=1
 * stops everything right after the calls (for a non-interactive check).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { startSandbox } from '../../sandbox';
import { DEMO_SEED } from '../n8n-runtime/demoSeed';
import {
	EXAMPLES,
	exampleCredentials,
	registerExampleApp,
	loadExample,
	type ExampleName,
} from '../n8n-runtime/examples';
import { N8nHome } from '../n8n-runtime/home';
import { buildAndPack } from '../n8n-runtime/pack';
import { freePort, portIsFree } from '../n8n-runtime/processes';
import { ensureRuntime } from '../n8n-runtime/runtime';
import { startN8nServer } from '../n8n-runtime/server';
import { DEMO_CALLS, describeCall, sendIncomingCall } from './calls';

const NODE_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24Telephony';

function say(message = ''): void {
	process.stdout.write(`${message}\n`);
}

function step(message: string): void {
	say(`\n▶ ${message}`);
}

/** What the demo started, stopped in reverse order on exit, once. */
class Cleanup {
	private readonly steps: Array<() => Promise<void> | void> = [];
	private done: Promise<void> | undefined;

	add(fn: () => Promise<void> | void): void {
		this.steps.push(fn);
	}

	run(): Promise<void> {
		this.done ??= (async () => {
			for (const fn of this.steps.reverse()) {
				try {
					await fn();
				} catch (error) {
					process.stderr.write(`cleanup: ${(error as Error).message}\n`);
				}
			}
		})();
		return this.done;
	}
}

async function n8nPort(): Promise<number> {
	if (process.env.DEMO_N8N_PORT) return Number(process.env.DEMO_N8N_PORT);
	return (await portIsFree(5678)) ? 5678 : await freePort();
}

/** n8n writes the node list its editor loads into its static cache; our node must be in it. */
function n8nListsOurNode(home: N8nHome): boolean {
	const file = path.join(home.dir, '.cache', 'n8n', 'public', 'types', 'nodes.json');
	return (
		fs.existsSync(file) &&
		(JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string }>).some(
			(node) => node.name === NODE_TYPE,
		)
	);
}

async function main(cleanup: Cleanup): Promise<void> {
	const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-telephony-demo-'));
	cleanup.add(() => fs.rmSync(workDir, { recursive: true, force: true }));

	step('Building and packing n8n-nodes-bitrix24-telephony');
	const tarball = await buildAndPack(path.join(workDir, 'pack'));
	say(`  ${path.basename(tarball)}`);

	step('Getting n8n (the first run installs it: a few minutes; later runs are instant)');
	const runtime = await ensureRuntime('latest');
	say(`  n8n ${runtime.n8nVersion}`);

	step(
		'Starting the sandbox Bitrix24 portal (users Anna 101, Boris 102, Chen 103; contact ACME Support; line +493000000)',
	);
	const sandbox = await startSandbox({ seed: 'demo' });
	cleanup.add(() => sandbox.close());
	say(`  ${sandbox.url}`);

	step('Installing the package into a fresh n8n, with a credential and the example workflows');
	const home = await N8nHome.create(runtime, tarball, workDir);
	await home.importCredentials(
		exampleCredentials({
			webhookUrl: sandbox.webhookUrl,
			applicationToken: randomBytes(16).toString('hex'),
			oAuth2: registerExampleApp(sandbox),
		}),
	);
	await home.importWorkflows((Object.keys(EXAMPLES) as ExampleName[]).map(loadExample));
	await home.publishWorkflow(EXAMPLES.pbxIncomingCall.id);
	say(`  ${Object.keys(EXAMPLES).length} example workflows imported; "PBX call started" is active`);

	step('Starting n8n');
	const server = await startN8nServer(home, await n8nPort());
	cleanup.add(() => server.stop());
	say(`  ${server.url}`);
	if (n8nListsOurNode(home)) say('  n8n lists the node "Bitrix24 Telephony"');
	else throw new Error(`n8n did not load ${NODE_TYPE}; its log:\n${server.process.log}`);

	const webhookUrl = server.webhookUrl(EXAMPLES.pbxIncomingCall.webhookPath);
	step(`Simulating incoming calls: the PBX posts them to ${webhookUrl}`);
	let sequence = 0;
	for (const caller of [DEMO_CALLS.knownCaller, DEMO_CALLS.unknownCaller]) {
		const call = await sendIncomingCall(webhookUrl, caller, ++sequence);
		say();
		for (const line of describeCall(sandbox, call)) say(`  ${line}`);
	}

	say();
	say('━'.repeat(72));
	say(`  Open n8n: ${server.url}`);
	say('  (first visit: create the local owner account; the workflows are under Overview)');
	say(`  Try another call:  curl -X POST ${webhookUrl} -H 'content-type: application/json' \\`);
	say(
		`    -d '{"linkedid":"1.1","calleridnum":"+4930111222333","exten":"103","did":"${DEMO_SEED.line}"}'`,
	);
	say('━'.repeat(72));

	if (process.env.DEMO_EXIT_AFTER_START === '1') return;
	say('Running. Press Ctrl-C to stop n8n and the sandbox.');
	await new Promise<void>(() => {
		// Until a signal arrives: the handlers below stop everything and exit.
	});
}

const cleanup = new Cleanup();
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	// `on`, not `once`: Ctrl-C reaches us twice (from the terminal, and relayed by tsx), and a
	// second signal must not kill the process halfway through stopping n8n.
	process.on(signal, () => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the sandbox…');
		void cleanup.run().then(() => process.exit(0));
	});
}
main(cleanup)
	.then(() => cleanup.run())
	.then(() => process.exit(0))
	.catch(async (error: unknown) => {
		process.stderr.write(
			`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}\n`,
		);
		await cleanup.run();
		process.exit(1);
	});
