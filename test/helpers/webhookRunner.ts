/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/node-usable-as-tool -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Drives a webhook trigger the way n8n does, outside n8n:
 *
 * - an HTTP server on 127.0.0.1 stands in for n8n's webhook endpoint (`/webhook/<id>/<path>`,
 *   `/webhook-test/…`). It reads the body like n8n's `rawBodyReader` + `parseBody`
 *   (packages/cli/src/middlewares/body-parser.ts): `req.rawBody` is the Buffer, a form body is
 *   `querystring.parse(…, { maxKeys: 1000 })`, so bracket keys stay flat;
 * - the node's `webhook()` runs in n8n-core's own `WebhookContext`, with that request and an
 *   express-like response, and its result is handled like n8n's `executeWebhook`
 *   (`noWebhookResponse`, `webhookResponse`, otherwise 200 "Workflow was started" and a run);
 * - the run goes through n8n-core's `WorkflowExecute` from the trigger node on, so the nodes
 *   behind the trigger (a PBX stand-in, the action node) really execute;
 * - activation and deactivation call `webhookMethods.default.checkExists/create/delete` in
 *   n8n-core's `HookContext`, like n8n's `WebhookService.createWebhookIfNotExists/deleteWebhook`.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { parse as parseQueryString } from 'querystring';

import { HookContext, parseIncomingMessage, WebhookContext } from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IConnections,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowActivateMode,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24OutboundWebhookApi } from '../../credentials/Bitrix24OutboundWebhookApi.credentials';
import { Bitrix24Telephony } from '../../nodes/Bitrix24Telephony/Bitrix24Telephony.node';
import { Bitrix24TelephonyTrigger } from '../../nodes/Bitrix24TelephonyTrigger/Bitrix24TelephonyTrigger.node';
import { startRun, testAdditionalData } from './engine';
import { registerTypes, TestCredentialsHelper } from './workflowRunner';

export const TRIGGER_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTrigger';
export const ACTION_TYPE = 'n8n-nodes-bitrix24-telephony.bitrix24Telephony';
export const PBX_TYPE = 'test.pbx';
export const TRIGGER_NAME = 'Bitrix24 Telephony Trigger';

/** n8n's default `N8N_PAYLOAD_SIZE_MAX` (MiB). */
const PAYLOAD_SIZE_MAX = 16 * 1024 * 1024;

/** What the PBX stand-in "dialled" for each click-to-call. */
export interface DialledCall {
	callId: string;
	userId: string;
	phoneNumber: string;
}

/**
 * The PBX between the trigger and Finish: takes the click-to-call event, "originates" the call
 * (recorded in `dialled`) and reports how it ended, the way an Asterisk/FreePBX step would.
 */
export class PbxStandIn implements INodeType {
	static dialled: DialledCall[] = [];

	description: INodeTypeDescription = {
		displayName: 'PBX',
		name: 'pbx',
		group: ['transform'],
		version: 1,
		description: 'Dials the call Bitrix24 asked for and reports its end',
		defaults: { name: 'PBX' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Talk Seconds', name: 'talkSeconds', type: 'number', default: 42 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => {
				const data = item.json.data as Record<string, string>;
				const call = {
					callId: data.CALL_ID,
					userId: data.USER_ID,
					phoneNumber: data.PHONE_NUMBER_INTERNATIONAL,
				};
				PbxStandIn.dialled.push(call);
				const talkSeconds = this.getNodeParameter('talkSeconds', index) as number;
				return {
					json: { ...call, duration: talkSeconds, statusCode: '200' },
					pairedItem: { item: index },
				};
			}),
		];
	}
}

const NODE_TYPES: Record<string, INodeType> = {
	[TRIGGER_TYPE]: new Bitrix24TelephonyTrigger(),
	[ACTION_TYPE]: new Bitrix24Telephony(),
	[PBX_TYPE]: new PbxStandIn(),
};

registerTypes(
	{},
	{
		bitrix24OAuth2Api: new Bitrix24OAuth2Api(),
		bitrix24OutboundWebhookApi: new Bitrix24OutboundWebhookApi(),
	},
);

const nodeTypes: INodeTypes = {
	getByName: (type: string) => NODE_TYPES[type] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (type: string, version?: number) =>
		NodeHelpers.getVersionedNodeType(NODE_TYPES[type], version),
	getKnownTypes: () => ({}),
};

/**
 * An `http.IncomingMessage` after n8n's body middlewares (n8n-workflow declares `rawBody`,
 * `contentType`, `encoding` and `readRawBody` on IncomingMessage itself).
 */
export interface WebhookRequest extends http.IncomingMessage {
	body?: unknown;
	query: Record<string, unknown>;
	params: Record<string, unknown>;
}

/** The part of express's `Response` that nodes use, on a real `http.ServerResponse`. */
export interface WebhookResponse extends http.ServerResponse {
	status(code: number): WebhookResponse;
	json(body: unknown): WebhookResponse;
	send(body?: unknown): WebhookResponse;
}

function expressLike(res: http.ServerResponse): WebhookResponse {
	const response = res as WebhookResponse;
	response.status = (code) => {
		res.statusCode = code;
		return response;
	};
	response.json = (body) => {
		if (!res.headersSent) res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.end(JSON.stringify(body));
		return response;
	};
	response.send = (body) => {
		if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body))
			return response.json(body);
		res.end(body === undefined ? '' : (body as string | Buffer));
		return response;
	};
	return response;
}

/** n8n's rawBodyReader + parseBody, for the content types Bitrix24 and our tests send. */
async function readBody(req: WebhookRequest): Promise<'ok' | 'tooLarge'> {
	parseIncomingMessage(req as never);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > PAYLOAD_SIZE_MAX) return 'tooLarge';
		chunks.push(chunk as Buffer);
	}
	req.rawBody = Buffer.concat(chunks);
	req._body = true;
	req.readRawBody = async () => {};
	const text = req.rawBody.toString(req.encoding ?? 'utf8');
	if (req.rawBody.length > 0 && req.contentType === 'application/x-www-form-urlencoded') {
		req.body = parseQueryString(text, undefined, undefined, { maxKeys: 1000 });
	} else if (req.rawBody.length > 0 && req.contentType === 'application/json') {
		req.body = JSON.parse(text);
	}
	if (!req.body) req.body = {};
	return 'ok';
}

export interface Answer {
	status: number;
	body: string;
}

/** One request handled by a trigger: how it was answered, and what the node did. */
export interface WebhookCall {
	path: string;
	result?: IWebhookResponseData;
	/** What the node threw (n8n answers 500 and starts nothing). */
	error?: Error;
	run?: Promise<IRun>;
}

type Route = (req: WebhookRequest, res: WebhookResponse, isTest: boolean) => Promise<void>;

/** The n8n instance's webhook endpoint. */
export class N8nWebhookServer {
	private readonly server: http.Server;
	private readonly routes = new Map<string, Route>();
	url = '';

	constructor() {
		this.server = http.createServer(
			(req, res) => void this.dispatch(req as WebhookRequest, expressLike(res)),
		);
	}

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
	}

	async close(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	route(path: string, handler: Route): void {
		this.routes.set(path, handler);
	}

	/** POSTs a body to a URL of this server (a forged or hand-made event). */
	async post(
		url: string,
		body: string | Buffer,
		contentType = 'application/x-www-form-urlencoded',
	): Promise<Answer> {
		const response = await fetch(url, {
			method: 'POST',
			body,
			headers: { 'Content-Type': contentType },
		});
		return { status: response.status, body: await response.text() };
	}

	private async dispatch(req: WebhookRequest, res: WebhookResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.url);
		const isTest = url.pathname.startsWith('/webhook-test/');
		const route = req.method === 'POST' ? this.routes.get(url.pathname) : undefined;
		if (!route) {
			res.status(404).json({ code: 404, message: 'The requested webhook is not registered.' });
			return;
		}
		req.query = Object.fromEntries(url.searchParams);
		req.params = {};
		if ((await readBody(req)) === 'tooLarge') {
			res.status(413).json({ code: 413, message: 'request entity too large' });
			return;
		}
		await route(req, res, isTest);
	}
}

export interface TriggerWorkflowOptions {
	/** Parameters of the trigger node (`authentication`, `events`). */
	parameters: INodeParameters;
	/** Credentials by type, for the trigger and the nodes behind it. */
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Nodes behind the trigger; the first is connected to the trigger, each to the next. */
	chain?: Array<Omit<INode, 'id' | 'position' | 'typeVersion'> & { typeVersion?: number }>;
}

let workflowCounter = 0;

/** A workflow starting with the Bitrix24 Telephony Trigger, registered on the n8n stand-in. */
export class TriggerWorkflow {
	readonly workflow: Workflow;
	readonly trigger: INode;
	readonly calls: WebhookCall[] = [];
	readonly credentialsHelper: TestCredentialsHelper;
	private readonly nodes: INode[];
	private readonly connections: IConnections;
	private executions = 0;

	constructor(
		private readonly server: N8nWebhookServer,
		options: TriggerWorkflowOptions,
	) {
		workflowCounter++;
		this.trigger = {
			id: `trigger-${workflowCounter}`,
			name: TRIGGER_NAME,
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			webhookId: randomUUID(),
			parameters: options.parameters,
			credentials: Object.fromEntries(
				Object.keys(options.credentials).map((type) => [type, { id: `cred-${type}`, name: type }]),
			),
		};
		const chain: INode[] = (options.chain ?? []).map((node, index) => ({
			typeVersion: 1,
			...node,
			id: `node-${workflowCounter}-${index}`,
			position: [200 * (index + 1), 0],
		}));
		this.nodes = [this.trigger, ...chain];
		this.connections = {};
		const names = this.nodes.map((node) => node.name);
		for (let index = 0; index + 1 < names.length; index++) {
			this.connections[names[index]] = {
				main: [[{ node: names[index + 1], type: 'main', index: 0 }]],
			};
		}
		this.workflow = new Workflow({
			id: `wf-trigger-${workflowCounter}`,
			name: 'trigger test',
			nodes: this.nodes,
			connections: this.connections,
			nodeTypes,
			active: true,
			settings: {},
		});
		this.credentialsHelper = new TestCredentialsHelper({ ...options.credentials });
		for (const isTest of [false, true]) {
			server.route(new URL(this.webhookUrl(isTest)).pathname, (req, res) =>
				this.handle(req, res, isTest),
			);
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

	/** Runs that were started, settled. */
	async runs(): Promise<IRun[]> {
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
		return NODE_TYPES[TRIGGER_TYPE] as Bitrix24TelephonyTrigger;
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

	/** n8n's `executeWebhook`, reduced to what a trigger in "respond immediately" mode needs. */
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
		try {
			call.result = await this.triggerType().webhook.call(context);
		} catch (error) {
			call.error = error as Error;
			if (!res.headersSent)
				res
					.status(500)
					.json({ code: 500, message: 'Workflow Webhook Error: Workflow could not be started!' });
			return;
		}
		const { result } = call;
		if (result.noWebhookResponse === true && result.workflowData === undefined) return;
		if (result.workflowData === undefined) {
			res
				.status(200)
				.json(
					result.webhookResponse !== undefined
						? result.webhookResponse
						: { message: 'Webhook call received' },
				);
			return;
		}
		call.run = this.execute(result.workflowData, mode);
		if (!res.headersSent) res.status(200).json({ message: 'Workflow was started' });
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
