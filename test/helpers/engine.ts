/**
 * The pieces of n8n's engine every test harness needs: the context objects n8n hands to nodes
 * (additional data) and starting a run with lifecycle hooks that report its end.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialsHelper,
	INode,
	INodeExecutionData,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/**
 * The n8n-core this jest project runs (2.11.1, or 2.41.x in the engine-2.41 project), for the
 * few assertions where n8n itself changed what reaches the node.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest maps this path per project
export const N8N_CORE_VERSION = (require('n8n-core/package.json') as { version: string }).version;

/** n8n-core 2.41 and later (`version` defaults to the one running). */
export function engineAtLeast(minor: number, version = N8N_CORE_VERSION): boolean {
	const [major, minorOf] = version.split('.').map(Number);
	return major > 2 || (major === 2 && minorOf >= minor);
}

/** What n8n passes to every node context, reduced to what our nodes use. */
export function testAdditionalData(
	credentialsHelper: ICredentialsHelper,
	overrides: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		restApiUrl: '',
		instanceBaseUrl: '',
		formWaitingBaseUrl: '',
		webhookBaseUrl: '',
		webhookWaitingBaseUrl: '',
		webhookTestBaseUrl: '',
		variables: {},
		currentNodeExecutionIndex: 0,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
		...overrides,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/**
 * Runs `workflow` from `startNode` with `startData`, as n8n does after a trigger fired or a
 * manual start; `done` resolves with the run when the engine reports its end.
 */
export function startRun(options: {
	workflow: Workflow;
	startNode: INode;
	startData: INodeExecutionData[][];
	mode: WorkflowExecuteMode;
	executionId: string;
	additionalData: (hooks: ExecutionLifecycleHooks) => IWorkflowExecuteAdditionalData;
}): { done: Promise<IRun>; cancel: () => void } {
	const { workflow, mode } = options;
	let resolveRun!: (run: IRun) => void;
	const done = new Promise<IRun>((resolve) => (resolveRun = resolve));
	const hooks = new ExecutionLifecycleHooks(mode, options.executionId, {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: false,
		settings: workflow.settings,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	hooks.addHandler('workflowExecuteAfter', (run) => resolveRun(run));
	const runExecutionData = {
		startData: {},
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [
				{ node: options.startNode, data: { main: options.startData }, source: null },
			],
		},
	} as unknown as IRunExecutionData;
	const additionalData = options.additionalData(hooks);
	(additionalData as { hooks?: ExecutionLifecycleHooks }).hooks = hooks;
	const execution = new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	return { done, cancel: () => execution.cancel() };
}
