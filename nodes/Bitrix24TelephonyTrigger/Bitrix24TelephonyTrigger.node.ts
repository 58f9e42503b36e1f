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
import { credentialTypeOf } from './portalClient';
import { receiveEvent } from './receive';
import { LATEST_TRIGGER_VERSION, TRIGGER_VERSIONS } from './versions';

/**
 * Starts a workflow when Bitrix24 asks the telephony integration to place a call: an employee
 * clicked a phone number (ONEXTERNALCALLSTART, click-to-call) or a visitor asked for a callback
 * (ONEXTERNALCALLBACKSTART); from version 1.1 also when a call begins or ends
 * (ONVOXIMPLANTCALLINIT, ONVOXIMPLANTCALLEND). This class only wires: parsing, authenticity,
 * de-duplication and the output live in receive.ts and its modules, the subscription in
 * lifecycle.ts, the versions' differences in versions.ts.
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
		version: TRIGGER_VERSIONS,
		defaultVersion: LATEST_TRIGGER_VERSION,
		subtitle: EVENTS_SUBTITLE,
		description:
			'Starts the workflow when an employee clicks a phone number in Bitrix24 (click-to-call), a visitor asks for a callback, or a call starts or ends',
		builderHint: {
			message:
				'Use for Bitrix24 telephony events pushed to n8n: click-to-call (have the PBX dial, then Bitrix24 Telephony → Finish the received CALL_ID, never Register it again), callback requests (originate, then Register and Finish), and call started/ended (with "Fetch Call Record" the ended call\'s duration, result, cost, recording and CRM binding, for summaries, missed-call notifications or archives). Needs a public URL; without one use the Bitrix24 Telephony Poll Trigger.',
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-bitrix24-telephony.bitrix24Telephony',
					relationHint: 'Finish, show or hide the call card, attach the recording for the CALL_ID',
				},
				{
					nodeType: 'n8n-nodes-base.httpRequest',
					relationHint: 'Ask the PBX to originate the click-to-call or callback',
				},
				{
					nodeType: 'n8n-nodes-base.if',
					relationHint: 'Branch on call.CALL_FAILED_CODE (304 missed) or call.CALL_TYPE',
				},
			],
		},
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
			{
				// Outbound webhook + Fetch Call Record (a version 1.1 parameter, so never in version 1):
				// the outbound webhook cannot call REST methods, so the call history is read through
				// an inbound webhook. `authentication` sits in `hide`, not `show`: n8n's editor gives a
				// new node the first credential the user has of any type listed here, and sets
				// `authentication` to the value that credential's `show` names (editor-ui
				// `getAuthTypeForNodeCredential`); a user who has only the inbound webhook credential
				// (the action node's) would get Outbound Webhook instead of version 1.1's OAuth2.
				name: credentialTypeOf('webhook'),
				required: true,
				displayOptions: {
					show: { fetchCallRecord: [true] },
					hide: { authentication: ['oAuth2'] },
				},
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
