/**
 * Drives a webhook trigger the way n8n does, outside n8n.
 *
 * Uses what n8n-core 2.11 exports: the node's `webhook()` runs in n8n-core's `WebhookContext`,
 * activation and deactivation call `webhookMethods.default.checkExists/create/delete` in its
 * `HookContext`, and the run goes through its `WorkflowExecute` from the trigger node on (engine.ts),
 * so the nodes behind the trigger (a PBX stand-in, the action node) really execute.
 *
 * Keeps only what n8n-core does not provide, because it lives in n8n's `cli` package (not a
 * dependency): the webhook endpoint and body parsing (n8nWebhookServer.ts), the answer to a
 * webhook call (executeWebhook.ts), and here `WebhookService.createWebhookIfNotExists` /
 * `deleteWebhook` (checkExists, then create) and the webhook data n8n builds for a node.
 */
import { HookContext, WebhookContext } from 'n8n-core';
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type IRun,
	type IWebhookData,
	type IWebhookDescription,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { startRun, testAdditionalData } from './engine';
import { executeWebhook, type WebhookCall } from './executeWebhook';
import type { N8nWebhookServer, WebhookRequest, WebhookResponse } from './n8nWebhookServer';
import {
	buildTriggerWorkflow,
	TRIGGER_NAME,
	triggerNode,
	type TriggerWorkflowOptions,
} from './triggerWorkflowGraph';
import { TestCredentialsHelper } from './testTypes';

export type { WebhookCall } from './executeWebhook';
export {
	ACTION_TYPE,
	PBX_TYPE,
	TRIGGER_NAME,
	TRIGGER_TYPE,
	type TriggerWorkflowOptions,
} from './triggerWorkflowGraph';
export { N8nWebhookServer, type Answer } from './n8nWebhookServer';
export { PbxStandIn, type DialledCall } from './testNodes';

/** A workflow starting with the Bitrix24 Telephony Trigger, registered on the n8n stand-in. */
export class TriggerWorkflow {
	readonly workflow: Workflow;
	readonly trigger: INode;
	readonly calls: WebhookCall[] = [];
	readonly credentialsHelper: TestCredentialsHelper;
	private executions = 0;
	/** Requests still inside the node: a node may answer first and finish its work after. */
	private readonly handling = new Set<Promise<void>>();

	constructor(
		private readonly server: N8nWebhookServer,
		options: TriggerWorkflowOptions,
	) {
		({ workflow: this.workflow, trigger: this.trigger } = buildTriggerWorkflow(options));
		this.credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
		for (const isTest of [false, true]) {
			server.route(new URL(this.webhookUrl(isTest)).pathname, async (req, res) => {
				const handled = this.handle(req, res, isTest);
				this.handling.add(handled);
				try {
					await handled;
				} finally {
					this.handling.delete(handled);
				}
			});
		}
	}

	/** Changes a trigger parameter, as the user does in the editor before re-activating. */
	setParameter(name: string, value: INodeParameters[string]): void {
		(this.workflow.getNode(TRIGGER_NAME) as INode).parameters[name] = value;
	}

	/** The production URL (what the user pastes into Bitrix24), or the test URL. */
	webhookUrl(isTest = false): string {
		const base = isTest ? `${this.server.url}/webhook-test` : `${this.server.url}/webhook`;
		return NodeHelpers.getNodeWebhookUrl(
			base,
			this.workflow.id,
			this.trigger,
			this.webhookDescription().path as string,
			false,
		);
	}

	/** Runs that were started, settled (after every request the node is still handling). */
	async runs(): Promise<IRun[]> {
		await Promise.all([...this.handling]);
		return await Promise.all(this.calls.flatMap((call) => (call.run ? [call.run] : [])));
	}

	/** Activation (or "Listen for test event"): checkExists, then create when it said false. */
	async activate(
		isTest = false,
		activation: WorkflowActivateMode = 'activate',
	): Promise<{ existed: boolean }> {
		const context = this.hookContext(isTest, activation);
		const methods = this.triggerType().webhookMethods!.default!;
		const existed = await methods.checkExists.call(context);
		if (!existed) await methods.create.call(context);
		return { existed };
	}

	async deactivate(isTest = false): Promise<boolean> {
		return await this.triggerType().webhookMethods!.default!.delete.call(
			this.hookContext(isTest, 'activate'),
		);
	}

	/** The trigger's output items of every run. */
	async triggerItems(): Promise<INodeExecutionData[]> {
		return (await this.runs()).flatMap(
			(run) =>
				(run.data.resultData.runData[TRIGGER_NAME]?.[0]?.data?.main?.[0] ??
					[]) as INodeExecutionData[],
		);
	}

	private triggerType(): Bitrix24TelephonyTrigger {
		return triggerNode;
	}

	private webhookDescription(): IWebhookDescription {
		return this.triggerType().description.webhooks![0];
	}

	private webhookData(
		isTest: boolean,
		additionalData: IWorkflowExecuteAdditionalData,
	): IWebhookData {
		return {
			httpMethod: 'POST',
			node: this.trigger.name,
			path: this.webhookDescription().path as string,
			webhookDescription: this.webhookDescription(),
			workflowId: this.workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: this.trigger.webhookId,
			isTest,
		};
	}

	private hookContext(isTest: boolean, activation: WorkflowActivateMode): HookContext {
		const additionalData = this.additionalData();
		const mode: WorkflowExecuteMode = isTest ? 'manual' : 'trigger';
		return new HookContext(
			this.workflow,
			this.trigger,
			additionalData,
			mode,
			activation,
			this.webhookData(isTest, additionalData),
		);
	}

	private additionalData(
		extra: Partial<IWorkflowExecuteAdditionalData> = {},
	): IWorkflowExecuteAdditionalData {
		return testAdditionalData(this.credentialsHelper, {
			instanceBaseUrl: this.server.url,
			webhookBaseUrl: `${this.server.url}/webhook`,
			webhookWaitingBaseUrl: `${this.server.url}/webhook-waiting`,
			webhookTestBaseUrl: `${this.server.url}/webhook-test`,
			...extra,
		});
	}

	/** One request to this trigger's webhook URL, as n8n's webhook path handles it. */
	private async handle(req: WebhookRequest, res: WebhookResponse, isTest: boolean): Promise<void> {
		const mode: WorkflowExecuteMode = isTest ? 'manual' : 'webhook';
		const call: WebhookCall = { path: req.url ?? '' };
		this.calls.push(call);
		const additionalData = this.additionalData({
			httpRequest: req as never,
			httpResponse: res as never,
		});
		const context = new WebhookContext(
			this.workflow,
			this.trigger,
			additionalData,
			mode,
			this.webhookData(isTest, additionalData),
			[],
			null,
		);
		await executeWebhook(
			call,
			res,
			async () => await this.triggerType().webhook.call(context),
			(workflowData) => this.execute(workflowData, mode),
			this.webhookDescription().responseData,
		);
	}

	private execute(workflowData: INodeExecutionData[][], mode: WorkflowExecuteMode): Promise<IRun> {
		this.executions++;
		return startRun({
			workflow: this.workflow,
			startNode: this.trigger,
			startData: workflowData,
			mode,
			executionId: `exec-${this.workflow.id}-${this.executions}`,
			additionalData: (hooks) => this.additionalData({ hooks }),
		}).done;
	}
}
