/**
 * The workflow a trigger test runs: the Bitrix24 Telephony Trigger, then the nodes the test
 * chains behind it, each connected to the next. Registers the trigger, the PBX stand-in and the
 * credentials the trigger uses with the test node types.
 */
import { randomUUID } from 'crypto';

import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type INode,
	type INodeParameters,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24OutboundWebhookApi } from '../../credentials/Bitrix24OutboundWebhookApi.credentials';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { PbxStandIn } from './testNodes';
import { credentialRefs, registerTypes, testNodeTypes } from './testTypes';

export const TRIGGER_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTrigger';
export const ACTION_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24Telephony';
export const PBX_TYPE = 'test.pbx';
export const TRIGGER_NAME = 'Bitrix24 Telephony Trigger';

export const triggerNode = new Bitrix24TelephonyTrigger();

// The action node is registered under ACTION_TYPE in testTypes.ts already.
registerTypes(
	{ [TRIGGER_TYPE]: triggerNode, [PBX_TYPE]: new PbxStandIn() },
	{
		bitrix24OAuth2Api: new Bitrix24OAuth2Api(),
		bitrix24OutboundWebhookApi: new Bitrix24OutboundWebhookApi(),
	},
);

export interface TriggerWorkflowOptions {
	/** Parameters of the trigger node (`authentication`, `events`). */
	parameters: INodeParameters;
	/** The trigger's type version (default 1). */
	typeVersion?: number;
	/** Credentials by type, for the trigger and the nodes behind it. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Nodes behind the trigger; the first is connected to the trigger, each to the next. */
	chain?: Array<Omit<INode, 'id' | 'position' | 'typeVersion'> & { typeVersion?: number }>;
}

let workflowCounter = 0;

export function buildTriggerWorkflow(options: TriggerWorkflowOptions): {
	workflow: Workflow;
	trigger: INode;
} {
	workflowCounter++;
	const trigger: INode = {
		id: `trigger-${workflowCounter}`,
		name: TRIGGER_NAME,
		type: TRIGGER_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters: options.parameters,
		credentials: credentialRefs(options.credentials),
	};
	const chain: INode[] = (options.chain ?? []).map((node, index) => ({
		typeVersion: 1,
		...node,
		id: `node-${workflowCounter}-${index}`,
		position: [200 * (index + 1), 0],
	}));
	const nodes = [trigger, ...chain];
	const connections: IConnections = {};
	const names = nodes.map((node) => node.name);
	for (let index = 0; index + 1 < names.length; index++) {
		connections[names[index]] = {
			main: [[{ node: names[index + 1], type: 'main', index: 0 }]],
		};
	}
	const workflow = new Workflow({
		id: `wf-trigger-${workflowCounter}`,
		name: 'trigger test',
		nodes,
		connections,
		nodeTypes: testNodeTypes,
		active: true,
		settings: {},
	});
	return { workflow, trigger };
}
