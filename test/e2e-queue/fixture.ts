/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * n8n in queue mode for the tests of one file: Redis, PostgreSQL, one sandbox portal per burst
 * and one for the trigger, the fake PBX, one n8n user folder shared by every n8n process (one
 * encryption key, one installed copy of our package), credentials and workflows imported into
 * PostgreSQL, then the main process, one webhook process and two workers. Everything started is
 * registered with a SafetyNet: stopped in afterAll, and by its reaper if this process dies.
 */
import { PLAN_LIMITS, startSandbox, type Sandbox } from '../../sandbox';
import {
	EXAMPLES,
	exampleCredentialReference,
	exampleCredentials,
	loadExample,
	registerExampleApp,
	withSettings,
} from '../../scripts/n8n-runtime/examples';
import { N8nHome, type WorkflowFile } from '../../scripts/n8n-runtime/home';
import {
	queueModeSettings,
	startMain,
	startWebhookProcess,
	startWorker,
	type QueueProcess,
} from '../../scripts/n8n-runtime/queue/cluster';
import { startPostgres, type PostgresServer } from '../../scripts/n8n-runtime/queue/postgres';
import { startRedis } from '../../scripts/n8n-runtime/queue/redis';
import { SafetyNet } from '../../scripts/n8n-runtime/queue/safetyNet';
import { WORKER_COUNT } from '../../scripts/n8n-runtime/queue/settings';
import { startFakePbx, type FakePbx } from '../e2e/fakePbx';
import { APPLICATION_TOKEN } from '../e2e/fixture';
import { readQueueEnvironment } from './environment';
import { SCENARIOS, burstWorkflow, scenarioCredential, type ScenarioName } from './scenarios';

export interface QueueContext {
	safety: SafetyNet;
	postgres: PostgresServer;
	home: N8nHome;
	main: QueueProcess;
	webhook: QueueProcess;
	/** The workers running now (a test may stop one). */
	workers: QueueProcess[];
	portals: Record<ScenarioName, Sandbox>;
	/** The portal of the click-to-call example (its credentials point here). */
	triggerPortal: Sandbox;
	pbx: FakePbx;
	clickToCall: WorkflowFile;
}

const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

async function startPortal(
	safety: SafetyNet,
	name: string,
	plan: keyof typeof PLAN_LIMITS,
): Promise<Sandbox> {
	const portal = await startSandbox({ seed: 'demo', rateLimit: PLAN_LIMITS[plan] });
	safety.add(`portal ${name}`, () => portal.close());
	return portal;
}

export function useQueueCluster(): () => QueueContext {
	let context: QueueContext | undefined;
	const safety = new SafetyNet();

	beforeAll(async () => {
		const { tarball, workDir, runtimes, prerequisites } = readQueueEnvironment();
		const redis = await startRedis(prerequisites.redisServer, safety);
		const postgres = await startPostgres(prerequisites.postgresBin, safety);

		const portals = {} as Record<ScenarioName, Sandbox>;
		for (const name of SCENARIO_NAMES)
			portals[name] = await startPortal(safety, name, SCENARIOS[name].plan);
		const triggerPortal = await startPortal(safety, 'click-to-call', 'standard');
		const pbx = await startFakePbx();
		safety.add('fake PBX', () => pbx.close());

		// The run's folder (tarball, n8n user folder): removed by globalTeardown too, but not after Ctrl-C.
		if (process.env.E2E_KEEP !== '1') safety.dir(workDir);
		const home = await N8nHome.create(runtimes[0], tarball, workDir);
		Object.assign(home.settings, queueModeSettings(redis, postgres));
		const clickToCall = withOutboundWebhookTrigger(
			withSettings(loadExample('clickToCall'), { pbxOriginateUrl: pbx.originateUrl }),
		);
		// The first command also creates n8n's tables in PostgreSQL.
		await home.importCredentials([
			...exampleCredentials({
				webhookUrl: triggerPortal.webhookUrl,
				applicationToken: APPLICATION_TOKEN,
				// The click-to-call example finishes its call with the OAuth2 credential.
				oAuth2: registerExampleApp(triggerPortal),
			}),
			...SCENARIO_NAMES.map((name) =>
				scenarioCredential(SCENARIOS[name], portals[name].webhookUrl),
			),
		]);
		const bursts = SCENARIO_NAMES.map((name) => burstWorkflow(SCENARIOS[name]));
		await home.importWorkflows([...bursts, clickToCall]);
		for (const workflow of [...bursts, clickToCall]) await home.publishWorkflow(workflow.id);

		const main = await startMain(home, safety);
		const [webhook, ...workers] = await Promise.all([
			startWebhookProcess(home, safety, 'n8n webhook'),
			...Array.from({ length: WORKER_COUNT }, (_, index) =>
				startWorker(home, safety, `n8n worker ${index + 1}`),
			),
		]);
		context = {
			safety,
			postgres,
			home,
			main,
			webhook,
			workers,
			portals,
			triggerPortal,
			pbx,
			clickToCall,
		};
	}, 600000);

	afterAll(async () => {
		await safety.stopAll();
	}, 120000);

	return () => {
		if (!context) throw new Error('The queue-mode cluster did not start (see beforeAll)');
		return context;
	};
}

/**
 * The click-to-call example with its trigger on an outbound webhook instead of the application.
 * Here the suite chooses which n8n process a delivery reaches (the webhook process, then the main
 * one); an application's event.bind, called by the main process on activation, would register the
 * main process's own URL. Where the trigger's check runs does not depend on how it authenticates.
 */
function withOutboundWebhookTrigger(workflow: WorkflowFile): WorkflowFile {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowFile;
	const trigger = copy.nodes.find((node) => node.name === EXAMPLES.clickToCall.triggerNode);
	if (!trigger)
		throw new Error(`"${workflow.name}" has no node "${EXAMPLES.clickToCall.triggerNode}"`);
	trigger.parameters = { ...trigger.parameters, authentication: 'outboundWebhook' };
	trigger.credentials = exampleCredentialReference('outboundWebhook');
	return copy;
}
