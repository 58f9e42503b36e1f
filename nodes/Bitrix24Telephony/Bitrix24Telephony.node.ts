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
import { VERSIONS, webhookNotices } from './actions/descriptions';
import { authenticationProperty } from './actions/authentication';
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
