import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { callFields, callOperationField } from './actions/call';
import { lineFields, lineOperationField } from './actions/line';
import { router } from './actions/router';
import { webhookNotices } from './actions/descriptions';
import { authenticationProperty, VERSIONS } from './actions/versions';
import { listSearch, loadOptions } from './methods';

/**
 * Programmatic rather than declarative: Bitrix24 reports errors in the body (often with an empty
 * code), items travel in `batch` requests under a shared rate limiter, and some operations take
 * several requests. That lives in `actions/executor.ts` and `transport/`; this class only wires.
 */
export class Bitrix24Telephony implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Telephony',
		name: 'bitrix24Telephony',
		icon: { light: 'file:bitrix24Telephony.svg', dark: 'file:bitrix24Telephony.dark.svg' },
		group: ['output'],
		// 1.1: Simplify on by default, Show/Hide Card users from a picker. 1.2: the OAuth2
		// credential by default (Bitrix24 allows register, finish and the line methods only to
		// applications), without the fields kept for saved workflows. Older versions stay as they
		// were for saved workflows.
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Log PBX calls in Bitrix24 CRM: register, finish, recordings, call cards and external lines',
		defaults: { name: 'Bitrix24 Telephony' },
		usableAsTool: true,
		// For n8n's AI workflow builder: when to pick this node and what goes around it.
		builderHint: {
			message:
				"Logs phone calls from a PBX, a cloud telephony service or an AI voice agent in Bitrix24's CRM. A call starts with Register (it returns the CALL_ID and pops up the call card) and ends with Finish (talk time and status); Log Completed Call does both at once for a call that already ended (CDR files, AI voice agents), with its recording and transcript. Search CRM Entities finds who owns a phone number (to route a caller or notify the responsible employee); Show Card and Hide Card manage the card during a queue or a transfer; Attach Record and Attach Transcription add to a finished call. The PBX's events usually arrive through a Webhook node.",
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-base.webhook',
					relationHint:
						"Receives the PBX's or voice agent's call events that Register, Finish or Log Completed Call turn into calls",
				},
				{
					nodeType: 'n8n-nodes-base.respondToWebhook',
					relationHint:
						"Answers the PBX with the CALL_ID from Register, or the responsible employee's extension from Search CRM Entities",
				},
				{
					nodeType: 'n8n-nodes-base.httpRequest',
					relationHint:
						'Downloads a recording from the PBX for Attach Record, or posts a missed-call notification',
				},
				{
					nodeType: 'n8n-nodes-base.removeDuplicates',
					relationHint:
						'Keeps a call event posted twice from being logged or notified twice (key: the call ID)',
				},
				{
					nodeType: 'n8n-nodes-base.extractFromFile',
					relationHint: 'Reads call detail records (CSV) for Log Completed Call',
				},
				{
					nodeType: 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTrigger',
					relationHint:
						'Starts a workflow when an employee clicks a number in Bitrix24 (click-to-call); Finish ends that call',
				},
			],
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'bitrix24WebhookApi',
				required: true,
				displayOptions: { show: { authentication: ['webhook'] } },
			},
			{
				name: 'bitrix24OAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		properties: [
			authenticationProperty('webhook', VERSIONS.withLegacyFields),
			authenticationProperty('oAuth2', VERSIONS.from12),
			...webhookNotices,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Call', value: 'call' },
					{ name: 'Line', value: 'line' },
				],
				default: 'call',
			},
			callOperationField,
			...callFields,
			lineOperationField,
			...lineFields,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
