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
		// 1.1: Simplify on by default, Show/Hide Card users from a picker. Version 1 stays as it
		// was for saved workflows (full results, users as text).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Log PBX calls in Bitrix24 CRM: register, finish, recordings, call cards and external lines',
		defaults: { name: 'Bitrix24 Telephony' },
		usableAsTool: true,
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
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{
						name: 'Inbound Webhook',
						value: 'webhook',
						description:
							'A webhook URL from Bitrix24. Enough for Show/Hide Card, Search and the attach operations; newer portals require OAuth2 for Register, Finish, Log Completed Call and lines.',
					},
					{
						name: 'OAuth2 (Local Application)',
						value: 'oAuth2',
						description: 'A Bitrix24 local application. Works for every method on every portal.',
					},
				],
				default: 'webhook',
			},
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
