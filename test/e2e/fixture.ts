/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * One n8n version under test: a fresh n8n user folder with our tarball installed, the sandbox
 * portal and the fake PBX in this jest process, the credentials and every workflow imported once
 * (each n8n command costs seconds), and the webhook examples published for `n8n start`.
 */
import { startSandbox, type Sandbox } from '../../sandbox';
import {
	EXAMPLES,
	exampleCredentials,
	loadExample,
	registerExampleApp,
	type ExampleOAuthApp,
	withSettings,
} from '../../scripts/n8n-runtime/examples';
import { N8nHome, type WorkflowFile } from '../../scripts/n8n-runtime/home';
import type { N8nRuntime } from '../../scripts/n8n-runtime/runtime';
import { startN8nServer, type N8nServer } from '../../scripts/n8n-runtime/server';
import { readE2eEnvironment } from './environment';
import { startFakePbx, type FakePbx } from './fakePbx';
import { TEST_WORKFLOWS } from './workflows';

/** The outbound webhook's application token, as the trigger's credential holds it. */
export const APPLICATION_TOKEN = 'e2e0application0token0000000001';

/** The missed-call example's fallback in the suite: Chen's extension (the demo seed's 103). */
export const MISSED_CALL_FALLBACK_EXTENSION = '103';

/** How long a test waits for what a webhook's execution does after n8n has answered. */
export const EFFECT_TIMEOUT_MS = 30000;

/** The workflows `n8n start` serves: published before the server starts. */
const PUBLISHED = [
	EXAMPLES.pbxIncomingCall.id,
	EXAMPLES.pbxCallEnded.id,
	EXAMPLES.clickToCall.id,
	EXAMPLES.pbxOutgoingCall.id,
	EXAMPLES.freePbxDialplan.id,
	EXAMPLES.threeCxJournal.id,
	EXAMPLES.twilioStatusCallback.id,
	EXAMPLES.zadarmaNotify.id,
	EXAMPLES.missedCallNotify.id,
	EXAMPLES.callTransfer.id,
	EXAMPLES.routeToManager.id,
	EXAMPLES.aiVoiceAgents.id,
];

export interface E2eContext {
	runtime: N8nRuntime;
	sandbox: Sandbox;
	home: N8nHome;
	pbx: FakePbx;
	/** The examples exactly as imported (with Settings pointing at the fake PBX). */
	examples: Record<keyof typeof EXAMPLES, WorkflowFile>;
	/** The application behind the examples' OAuth2 credential. */
	oAuth2: ExampleOAuthApp;
}

/** Registers the beforeAll/afterAll of one runtime's describe block; the getter works inside tests. */
export function useN8nRuntime(runtime: N8nRuntime): () => E2eContext {
	let context: E2eContext | undefined;
	// Kept apart from `context` so that afterAll stops what started even if a later step failed.
	const started: Array<{ close(): Promise<void> | void }> = [];

	beforeAll(async () => {
		const { tarball, workDir } = readE2eEnvironment();
		const sandbox = await startSandbox({ seed: 'demo' });
		started.push(sandbox);
		const pbx = await startFakePbx();
		started.push(pbx);
		const home = await N8nHome.create(runtime, tarball, workDir);
		if (process.env.E2E_KEEP !== '1') started.push({ close: () => home.remove() });
		const examples = examplesFor(pbx);
		// The examples use the OAuth2 credential, as a user on a current portal must.
		const oAuth2 = registerExampleApp(sandbox);
		await home.importCredentials(
			exampleCredentials({
				webhookUrl: sandbox.webhookUrl,
				applicationToken: APPLICATION_TOKEN,
				oAuth2,
			}),
		);
		await home.importWorkflows([...Object.values(TEST_WORKFLOWS), ...Object.values(examples)]);
		for (const id of PUBLISHED) await home.publishWorkflow(id);
		context = { runtime, sandbox, home, pbx, examples, oAuth2 };
	}, 600000);

	afterAll(async () => {
		for (const resource of started.reverse()) await resource.close();
	});

	return () => {
		if (!context)
			throw new Error(`The n8n ${runtime.n8nVersion} fixture did not start (see beforeAll)`);
		return context;
	};
}

/** Registers beforeAll/afterAll that run `n8n start` for the tests of the enclosing describe. */
export function useN8nServer(getContext: () => E2eContext): () => N8nServer {
	let server: N8nServer | undefined;
	beforeAll(async () => {
		server = await startN8nServer(getContext().home);
	}, 600000);
	afterAll(async () => {
		await server?.stop();
	}, 30000);
	return () => {
		if (!server) throw new Error('n8n start did not come up (see beforeAll)');
		return server;
	};
}

function examplesFor(pbx: FakePbx): E2eContext['examples'] {
	return {
		pbxIncomingCall: loadExample('pbxIncomingCall'),
		pbxCallEnded: withSettings(loadExample('pbxCallEnded'), { missedCallNotifyUrl: pbx.notifyUrl }),
		cdrCsvImport: loadExample('cdrCsvImport'),
		clickToCall: withSettings(loadExample('clickToCall'), { pbxOriginateUrl: pbx.originateUrl }),
		pbxOutgoingCall: loadExample('pbxOutgoingCall'),
		queueCall: loadExample('queueCall'),
		freePbxDialplan: loadExample('freePbxDialplan'),
		threeCxJournal: loadExample('threeCxJournal'),
		twilioStatusCallback: loadExample('twilioStatusCallback'),
		zadarmaNotify: loadExample('zadarmaNotify'),
		missedCallNotify: withSettings(loadExample('missedCallNotify'), {
			missedCallNotifyUrl: pbx.notifyUrl,
			fallbackExtension: MISSED_CALL_FALLBACK_EXTENSION,
		}),
		callTransfer: loadExample('callTransfer'),
		routeToManager: loadExample('routeToManager'),
		aiVoiceAgents: loadExample('aiVoiceAgents'),
	};
}
