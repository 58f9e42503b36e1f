/**
 * The bursts the queue-mode suite sends: the same PBX load each time, through a Webhook →
 * Bitrix24 Telephony Register workflow of its own, against a sandbox portal of its own (with its
 * plan's limits), with the credential's "Plan" and "n8n Processes Sharing the Limit" set as a
 * user would. Each burst has its own portal so that its limits, state and request log start empty.
 */
import type { CredentialData, WorkflowFile } from '../../scripts/n8n-runtime/home';
import type { PLAN_LIMITS } from '../../sandbox';
import { NODE_TYPE } from '../e2e/workflows';

/** 300 incoming calls within 10 seconds: a call centre's morning, or a PBX replaying its queue. */
export const BURST = { calls: 300, withinMs: 10000 };

export interface BurstScenario {
	name: string;
	workflowId: string;
	webhookPath: string;
	credential: { id: string; name: string };
	/** The portal's plan: its limits in the sandbox, and the credential's "Plan". */
	plan: keyof typeof PLAN_LIMITS;
	/** The credential field "n8n Processes Sharing the Limit". */
	processes: number;
	/** How many workers run while this burst is executed. */
	workers: number;
	/** The Webhook node's id in n8n's webhook table (a UUID, as the editor makes it). */
	webhookId: string;
}

export const SCENARIOS = {
	/** Counting the main process too: it runs no production executions in queue mode. */
	sharedByThree: {
		name: 'standard plan, 2 workers, "n8n Processes Sharing the Limit" = 3',
		workflowId: 'b24qBurstProcs03',
		webhookPath: 'queue/burst-processes-3',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-000000000003',
		credential: { id: 'b24credQueue0003', name: 'Bitrix24 (queue, 3 processes)' },
		plan: 'standard',
		processes: 3,
		workers: 2,
	},
	/** The setting to choose: one share per worker. */
	sharedByTwo: {
		name: 'standard plan, 2 workers, "n8n Processes Sharing the Limit" = 2',
		workflowId: 'b24qBurstProcs02',
		webhookPath: 'queue/burst-processes-2',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-000000000002',
		credential: { id: 'b24credQueue0002', name: 'Bitrix24 (queue, 2 processes)' },
		plan: 'standard',
		processes: 2,
		workers: 2,
	},
	/** Left at its default: each worker believes it has the portal to itself. */
	unshared: {
		name: 'standard plan, 2 workers, "n8n Processes Sharing the Limit" = 1',
		workflowId: 'b24qBurstProcs01',
		webhookPath: 'queue/burst-processes-1',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-000000000001',
		credential: { id: 'b24credQueue0001', name: 'Bitrix24 (queue, 1 process)' },
		plan: 'standard',
		processes: 1,
		workers: 2,
	},
	/** A burst the enterprise plan's 250 absorbs almost whole: what n8n itself manages. */
	enterpriseTwoWorkers: {
		name: 'enterprise plan, 2 workers, "n8n Processes Sharing the Limit" = 2',
		workflowId: 'b24qBurstEntpr02',
		webhookPath: 'queue/burst-enterprise-2',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-0000000000e2',
		credential: { id: 'b24credQueueEnt2', name: 'Bitrix24 (queue, enterprise, 2 processes)' },
		plan: 'enterprise',
		processes: 2,
		workers: 2,
	},
	/** One worker alone, the field at 1: right for that topology. */
	oneWorker: {
		name: 'standard plan, 1 worker, "n8n Processes Sharing the Limit" = 1',
		workflowId: 'b24qBurstWorker1',
		webhookPath: 'queue/burst-one-worker',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-0000000000a1',
		credential: { id: 'b24credQueueWrk1', name: 'Bitrix24 (queue, 1 worker)' },
		plan: 'standard',
		processes: 1,
		workers: 1,
	},
	enterpriseOneWorker: {
		name: 'enterprise plan, 1 worker, "n8n Processes Sharing the Limit" = 1',
		workflowId: 'b24qBurstEntpr01',
		webhookPath: 'queue/burst-enterprise-1',
		webhookId: '6f1a0c3e-0b24-4a51-9e03-0000000000e1',
		credential: { id: 'b24credQueueEnt1', name: 'Bitrix24 (queue, enterprise, 1 worker)' },
		plan: 'enterprise',
		processes: 1,
		workers: 1,
	},
} satisfies Record<string, BurstScenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export function scenarioCredential(scenario: BurstScenario, webhookUrl: string): CredentialData {
	return {
		...scenario.credential,
		type: 'bitrix24WebhookApi',
		data: { webhookUrl, plan: scenario.plan, processes: scenario.processes },
	};
}

/**
 * Webhook (answers at once: the PBX must not wait for the queue) → Register. No error output and
 * no "continue on fail": a call that could not be registered is a failed execution.
 */
export function burstWorkflow(scenario: BurstScenario): WorkflowFile {
	return {
		id: scenario.workflowId,
		name: `queue e2e: ${scenario.name}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: `${scenario.workflowId}-hook`,
				name: 'PBX call started',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: scenario.webhookId,
				parameters: {
					httpMethod: 'POST',
					path: scenario.webhookPath,
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: `${scenario.workflowId}-register`,
				name: 'Register',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [220, 0],
				credentials: { bitrix24WebhookApi: scenario.credential },
				parameters: {
					resource: 'call',
					operation: 'register',
					userIdentification: 'extension',
					userPhoneInner: '={{ $json.body.exten }}',
					phoneNumber: '={{ $json.body.calleridnum }}',
					type: 2,
					additionalFields: {
						externalCallId: '={{ $json.body.linkedid }}',
						lineNumber: '={{ $json.body.did }}',
					},
				},
			},
		],
		connections: {
			'PBX call started': { main: [[{ node: 'Register', type: 'main', index: 0 }]] },
		},
	};
}
