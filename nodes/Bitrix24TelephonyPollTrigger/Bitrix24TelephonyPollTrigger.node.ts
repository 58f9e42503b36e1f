import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { credentialTypeOf } from '../Bitrix24TelephonyTrigger/portalClient';
import { pollProperties } from './description';
import { pollCalls } from './poll';

/**
 * Starts a workflow for every call that finished in Bitrix24 since the last check, read from
 * the call history at the interval the user picks. For n8n instances Bitrix24 cannot reach (no
 * public URL), where the event trigger cannot receive anything. This class only wires: the
 * polling and its cursor live in poll.ts, the filters in filters.ts.
 */
export class Bitrix24TelephonyPollTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Telephony Poll Trigger',
		name: 'bitrix24TelephonyPollTrigger',
		icon: {
			light: 'file:bitrix24TelephonyPollTrigger.svg',
			dark: 'file:bitrix24TelephonyPollTrigger.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ "Finished calls, " + ($parameter["authentication"] === "oAuth2" ? "OAuth2" : "webhook") }}',
		description:
			'Starts the workflow for each call that finished in Bitrix24, checked at an interval (no public URL needed)',
		defaults: { name: 'Bitrix24 Telephony Poll Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: credentialTypeOf('webhook'),
				required: true,
				displayOptions: { show: { authentication: ['webhook'] } },
			},
			{
				name: credentialTypeOf('oAuth2'),
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
		],
		builderHint: {
			message:
				'Use when n8n has no public URL, or to process finished Bitrix24 calls in batches: emits one item per new finished call from the call history (typed fields: CALL_DURATION, CALL_FAILED_CODE "304" = missed, CALL_TYPE, PORTAL_NUMBER, CALL_RECORD_URL, CRM_ENTITY_TYPE/ID, crmEntityUrl), never the same call twice. Filter by Statuses "Missed (304)" for missed-call follow-ups. For instant click-to-call use the Bitrix24 Telephony Trigger instead.',
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-bitrix24-telephony.bitrix24Telephony',
					relationHint: 'Search the CRM entity, attach a transcription to the CALL_ID',
				},
				{
					nodeType: 'n8n-nodes-base.slack',
					relationHint: 'Tell the responsible employee about a missed call',
				},
			],
		},
		properties: pollProperties,
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollCalls.call(this);
	}
}
