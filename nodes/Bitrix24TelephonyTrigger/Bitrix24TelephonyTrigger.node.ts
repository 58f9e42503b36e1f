import {
	NodeConnectionTypes,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { testOutboundWebhookToken } from './credentialTest';
import { triggerProperties } from './description';
import { EVENTS_SUBTITLE } from './events';
import { checkExists, create, remove } from './lifecycle';
import { receiveEvent } from './receive';

/**
 * Starts a workflow when Bitrix24 asks the telephony integration to place a call: an employee
 * clicked a phone number (ONEXTERNALCALLSTART, click-to-call) or a visitor asked for a callback
 * (ONEXTERNALCALLBACKSTART). This class only wires: parsing, authenticity, de-duplication and
 * the output live in receive.ts and its modules, the subscription in lifecycle.ts.
 */
export class Bitrix24TelephonyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Telephony Trigger',
		name: 'bitrix24TelephonyTrigger',
		icon: {
			light: 'file:bitrix24TelephonyTrigger.svg',
			dark: 'file:bitrix24TelephonyTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description:
			'Starts the workflow when an employee clicks a phone number in Bitrix24 (click-to-call) or a visitor asks for a callback',
		defaults: { name: 'Bitrix24 Telephony Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'bitrix24OutboundWebhookApi',
				required: true,
				testedBy: 'bitrix24OutboundWebhookTokenTest',
				displayOptions: { show: { authentication: ['outboundWebhook'] } },
			},
			{
				name: 'bitrix24OAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			bitrix24OutboundWebhookTokenTest: testOutboundWebhookToken,
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await create.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent.call(this);
	}
}
