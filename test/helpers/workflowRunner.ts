/**
 * Runs a real workflow through n8n-core's `WorkflowExecute`, the engine n8n itself uses:
 * Manual Trigger → Source (test items) → the node under test, with real credentials handling
 * (the credential's `authenticate` is applied) and real HTTP to the sandbox on 127.0.0.1.
 */
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
} from 'n8n-workflow';

import { startRun, testAdditionalData } from './engine';
import { assertNoSecretLeak } from './secretScan';
import type { TestBinary } from './testNodes';
import { credentialRefs, TestCredentialsHelper, testNodeTypes } from './testTypes';

export { registerTypes, TestCredentialsHelper, testNodeTypes } from './testTypes';

export interface RunNodeOptions {
	/** Parameters of the node under test (resource, operation, fields…). */
	parameters: INodeParameters;
	/** Input items, as JSON, that reach the node under test. */
	items?: IDataObject[];
	/** Binary attachments per item index. */
	binaries?: Record<number, Record<string, TestBinary>>;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	continueOnFail?: boolean;
	/** The workflow's timezone (settings.timezone). */
	timezone?: string;
	nodeType?: string;
	/** typeVersion of the node under test (default 1, what saved workflows before 1.1 have). */
	typeVersion?: number;
	/** Aborts the execution when signalled (n8n's "cancel execution"). */
	abortSignal?: AbortSignal;
}

export interface NodeRunResult {
	status: IRun['status'];
	/** The items the node under test output (main output 0). */
	items: INodeExecutionData[];
	/** The error the node raised, when the run failed. */
	error?: Error & { description?: string; context?: IDataObject; httpCode?: string | null };
	run: IRun;
	credentialsHelper: TestCredentialsHelper;
}

const NODE_UNDER_TEST = 'Bitrix24';

/** The workflow, the node under test and the engine's context objects, ready to run. */
export function buildTestWorkflow(options: RunNodeOptions) {
	const nodeType = options.nodeType ?? 'n8n-nodes-bitrix24-telephony.bitrix24Telephony';
	const nodes: INode[] = [
		{
			id: 'n1',
			name: 'Manual Trigger',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'n2',
			name: 'Source',
			type: 'test.source',
			typeVersion: 1,
			position: [200, 0],
			parameters: {
				items: JSON.stringify(options.items ?? [{}]),
				binaries: JSON.stringify(options.binaries ?? {}),
			},
		},
		{
			id: 'n3',
			name: NODE_UNDER_TEST,
			type: nodeType,
			typeVersion: options.typeVersion ?? 1,
			position: [400, 0],
			parameters: options.parameters,
			credentials: credentialRefs(options.credentials),
			...(options.continueOnFail
				? { onError: 'continueRegularOutput' as const, continueOnFail: true }
				: {}),
		},
	];
	const connections = {
		'Manual Trigger': { main: [[{ node: 'Source', type: 'main' as const, index: 0 }]] },
		Source: { main: [[{ node: NODE_UNDER_TEST, type: 'main' as const, index: 0 }]] },
	};
	const settings = options.timezone ? { timezone: options.timezone } : {};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes,
		connections,
		nodeTypes: testNodeTypes,
		active: false,
		settings,
	});

	const credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
	const additionalData = testAdditionalData(credentialsHelper);
	return {
		workflow,
		node: workflow.getNode(NODE_UNDER_TEST) as INode,
		additionalData,
		credentialsHelper,
	};
}

export async function runNode(options: RunNodeOptions): Promise<NodeRunResult> {
	const { workflow, credentialsHelper } = buildTestWorkflow(options);
	const { done, cancel } = startRun({
		workflow,
		startNode: workflow.getNode('Manual Trigger') as INode,
		startData: [[{ json: {} }]],
		mode: 'manual',
		executionId: 'exec-test',
		additionalData: () => testAdditionalData(credentialsHelper),
	});
	options.abortSignal?.addEventListener('abort', cancel);
	const run = await done;
	const taskData = run.data.resultData.runData[NODE_UNDER_TEST]?.[0];
	const items = (taskData?.data?.main?.[0] ?? []) as INodeExecutionData[];
	const error = (run.data.resultData.error ?? taskData?.error) as NodeRunResult['error'];
	const result = { status: run.status, items, error, run, credentialsHelper };
	assertNoSecretLeak(
		visibleOutput(result),
		[...Object.values(options.credentials), ...credentialsHelper.updates.map((u) => u.data)],
		'the run of the node under test',
	);
	return result;
}

/** Everything a run produced that a user or a log could see, as one string. */
export function visibleOutput(result: Pick<NodeRunResult, 'items' | 'error' | 'run'>): string {
	const error = result.error
		? {
				message: result.error.message,
				description: result.error.description,
				context: result.error.context,
				stack: result.error.stack,
				cause: (result.error as { cause?: unknown }).cause,
			}
		: {};
	return JSON.stringify(
		{ items: result.items, error, run: result.run.data.resultData },
		(_key, value) =>
			value instanceof Error ? { message: value.message, stack: value.stack } : value,
	);
}
