/**
 * The bursts the queue-mode suite sends: the same PBX load each time, through a Webhook →
 * Bitrix24 Telephony Register workflow of its own, against a sandbox portal of its own (with the
 * standard plan's limits), with the credential's "n8n Processes Sharing the Limit" set as a user
 * would. Each burst has its own portal so that its limits, state and request log start empty.
 */
import type { CredentialData, WorkflowFile } from '../../scripts/n8n-runtime/home';
import { NODE_TYPE } from '../e2e/workflows';

/** 300 incoming calls within 10 seconds: a call centre's morning, or a PBX replaying its queue. */
export const BURST = { calls: 300, withinMs: 10000 };

export interface BurstScenario {
	name: string;
	workflowId: string;
	webhookPath: string;
	credential: { id: string; name: string };
	/** The credential field "n8n Processes Sharing the Limit". */
	processes: number;
	/** How many workers run while this burst is executed. */
	workers: number;
	/** The Webhook node's id in n8n's webhook table (a UUID, as the editor makes it). */
	webhookId: string;
}

export const SCENARIOS = {
	/** The setting to choose: 2 workers plus the main process. */
	sharedByThree: {
		name: '2 workers, "n8n Processes Sharing the Limit" = 3',
		workflowId: 'b24qBurstProcs03',
		webhookPath: 'queue/burst-processes-3',
		credential: { id: 'b24credQueue0003', name: 'Bitrix24 (queue, 3 processes)' },
		processes: 3,
		workers: 2,
		webhookId: '6f1a0c3e-0b24-4a51-9e03-000000000003',
	},
	/** Left at its default: each worker believes it has the portal to itself. */
	unshared: {
		name: '2 workers, "n8n Processes Sharing the Limit" = 1',
		workflowId: 'b24qBurstProcs01',
		webhookPath: 'queue/burst-processes-1',
		credential: { id: 'b24credQueue0001', name: 'Bitrix24 (queue, 1 process)' },
		processes: 1,
		workers: 2,
		webhookId: '6f1a0c3e-0b24-4a51-9e03-000000000001',
	},
	/** One worker alone, the field at 1: right for that topology. */
	oneWorker: {
		name: '1 worker, "n8n Processes Sharing the Limit" = 1',
		workflowId: 'b24qBurstWorker1',
		webhookPath: 'queue/burst-one-worker',
		credential: { id: 'b24credQueueWrk1', name: 'Bitrix24 (queue, 1 worker)' },
		processes: 1,
		workers: 1,
		webhookId: '6f1a0c3e-0b24-4a51-9e03-0000000000a1',
	},
} satisfies Record<string, BurstScenario>;

export type ScenarioName = keyof typeof SCENARIOS;

export function scenarioCredential(scenario: BurstScenario, webhookUrl: string): CredentialData {
	return {
		...scenario.credential,
		type: 'bitrix24WebhookApi',
		data: { webhookUrl, plan: 'standard', processes: scenario.processes },
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
