/* eslint-disable @n8n/community-nodes/node-usable-as-tool -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The node as an AI agent's tool (issue 22 §4), built the way n8n builds it: the description
 * converted as n8n's loader does for `usableAsTool` nodes (name + "Tool", an `ai_tool` output,
 * the Tool Description fields: n8n `packages/cli` convertNodeToAiTool), then a real workflow in
 * n8n-core's engine where an agent-like node asks for its `ai_tool` input, so that n8n-core's own
 * createNodeAsTool builds the tool (name, description, schema from `$fromAI()`), and the agent
 * calls it: a Register against the sandbox.
 */
import {
	deepCopy,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { Bitrix24Telephony } from '../../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { startRun, testAdditionalData } from '../../helpers/engine';
import { usePortal, webhookCredentials } from '../../helpers/portal';
import {
	credentialRefs,
	registerTypes,
	TestCredentialsHelper,
	testNodeTypes,
} from '../../helpers/testTypes';

const { portal } = usePortal();

const TOOL_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTool';

/** What n8n's loader makes of a `usableAsTool` node (convertNodeToAiTool), on a copy. */
function asN8nTool(nodeType: INodeType): INodeType {
	const description = deepCopy(nodeType.description) as INodeTypeDescription;
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	description.properties.unshift(
		{
			displayName: 'Tool Description',
			name: 'descriptionType',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Set Automatically', value: 'auto' },
				{ name: 'Set Manually', value: 'manual' },
			],
			default: 'auto',
		},
		{
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: description.description,
			required: true,
			displayOptions: { show: { descriptionType: ['manual'] } },
		},
	);
	const tool = Object.create(nodeType) as INodeType;
	tool.description = description;
	return tool;
}

interface ToolLike {
	name: string;
	description: string;
	schema: {
		shape: Record<string, { description?: string; _def: { typeName: string } }>;
	};
	invoke(args: IDataObject): Promise<string>;
}

/** An AI agent reduced to what matters here: it takes its tools, describes them, calls the first. */
class ToolCallingAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Agent',
		name: 'agent',
		group: ['transform'],
		version: 1,
		description: 'Calls its connected tool with the arguments of its input item',
		defaults: { name: 'Agent' },
		inputs: [
			NodeConnectionTypes.Main,
			{ type: NodeConnectionTypes.AiTool, displayName: 'Tools', required: true },
		],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Arguments', name: 'args', type: 'json', default: '{}' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const tools = (await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as ToolLike[];
		const [tool] = tools;
		const args = JSON.parse(this.getNodeParameter('args', 0) as string) as IDataObject;
		const schema = Object.fromEntries(
			Object.entries(tool.schema.shape).map(([key, field]) => [
				key,
				{ type: field._def.typeName, description: field.description },
			]),
		);
		const answer = JSON.parse(await tool.invoke(args)) as IDataObject[];
		return [[{ json: { name: tool.name, description: tool.description, schema, answer } }]];
	}
}

registerTypes(
	{ [TOOL_TYPE]: asN8nTool(new Bitrix24Telephony()), 'test.agent': new ToolCallingAgent() },
	{},
);

async function runAgent(toolParameters: INode['parameters'], args: IDataObject) {
	const credentials = webhookCredentials(portal());
	const nodes: INode[] = [
		{
			id: 't1',
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 't2',
			name: 'Agent',
			type: 'test.agent',
			typeVersion: 1,
			position: [200, 0],
			parameters: { args: JSON.stringify(args) },
		},
		{
			id: 't3',
			name: 'Register call',
			type: TOOL_TYPE,
			typeVersion: 1.1,
			position: [200, 200],
			parameters: toolParameters,
			credentials: credentialRefs(credentials),
		},
	];
	const workflow = new Workflow({
		id: 'wf-tool',
		name: 'tool',
		nodes,
		connections: {
			'Manual Trigger': { main: [[{ node: 'Agent', type: 'main', index: 0 }]] },
			'Register call': { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] },
		},
		nodeTypes: testNodeTypes,
		active: false,
		settings: {},
	});
	const credentialsHelper = new TestCredentialsHelper(credentials);
	const { done } = startRun({
		workflow,
		startNode: workflow.getNode('Manual Trigger') as INode,
		startData: [[{ json: {} }]],
		mode: 'manual',
		executionId: 'exec-tool',
		additionalData: () => testAdditionalData(credentialsHelper),
	});
	const run = await done;
	const output = run.data.resultData.runData.Agent?.[0]?.data?.main?.[0]?.[0]?.json;
	return { run, output };
}

describe('Bitrix24 Telephony as an AI agent tool', () => {
	test('Register: the tool n8n-core builds has the name, the description and the $fromAI schema, and registers the call it is given', async () => {
		const { run, output } = await runAgent(
			{
				resource: 'call',
				operation: 'register',
				userIdentification: 'extension',
				userPhoneInner:
					"={{ $fromAI('extension', 'The extension of the employee who takes the call', 'string') }}",
				phoneNumber:
					"={{ $fromAI('phoneNumber', 'The caller\\'s phone number, international format with +', 'string') }}",
				type: 2,
			},
			{ extension: '102', phoneNumber: '+4915112345678' },
		);
		expect(run.data.resultData.error).toBeUndefined();
		expect(output).toMatchObject({
			name: 'Register_call',
			description:
				'Register a new call for a phone number and an employee and get its CALL_ID in Bitrix24 Telephony',
			schema: {
				extension: {
					type: 'ZodString',
					description: 'The extension of the employee who takes the call',
				},
				phoneNumber: {
					type: 'ZodString',
					description: "The caller's phone number, international format with +",
				},
			},
		});
		// The model gets the simplified result (version 1.1): the call ID and the CRM record.
		const [answer] = output?.answer as IDataObject[];
		expect(answer).toMatchObject({
			callId: expect.stringMatching(/^externalCall\./),
			crmEntityType: 'CONTACT',
			crmEntityId: 797,
		});
		expect(portal().state.activeCalls.find((c) => c.callId === answer.callId)).toMatchObject({
			userId: 2,
			phoneNumber: '+4915112345678',
		});
	});

	test('binary data stays out of tool use: Attach Record takes a URL there, Log Completed Call no binary field', () => {
		const plain = new Bitrix24Telephony().description;
		const tool = (testNodeTypes.getByName(TOOL_TYPE) as INodeType).description;
		const node = (type: string, parameters: IDataObject): INode => ({
			id: 'x',
			name: 'x',
			type,
			typeVersion: 1.1,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
		});
		const withDefaults = (description: INodeTypeDescription, type: string, values: IDataObject) =>
			NodeHelpers.getNodeParameters(
				description.properties,
				values as INode['parameters'],
				true,
				false,
				node(type, values),
				description,
			) as IDataObject;

		const attach = { resource: 'call', operation: 'attachRecord' };
		expect(
			withDefaults(plain, 'n8n-nodes-bitrix24-telephony.bitrix24Telephony', attach),
		).toMatchObject({
			source: 'binary',
			binaryPropertyName: 'data',
		});
		const asTool = withDefaults(tool, TOOL_TYPE, attach);
		expect(asTool).toMatchObject({ source: 'url', recordUrl: '' });
		expect(asTool).not.toHaveProperty('binaryPropertyName');
		const sourceOptions = tool.properties
			.filter((p) => p.name === 'source')
			.filter((p) =>
				NodeHelpers.displayParameter(attach as never, p, node(TOOL_TYPE, attach), tool),
			)
			.flatMap((p) => (p.options ?? []).map((o) => (o as { value: string }).value));
		expect(sourceOptions).toEqual(['url']);

		const log = { resource: 'call', operation: 'logCompletedCall' };
		expect(withDefaults(tool, TOOL_TYPE, log)).not.toHaveProperty('binaryPropertyName');
		expect(withDefaults(tool, TOOL_TYPE, log)).toHaveProperty('transcript', '');
		expect(
			withDefaults(plain, 'n8n-nodes-bitrix24-telephony.bitrix24Telephony', log),
		).toHaveProperty('binaryPropertyName', '');
	});
});
