/**
 * The trigger's parameters. `authentication` and `events` (and their values) are fixed by the
 * contract; the notices walk the user through the setup in Bitrix24, which for an outbound
 * webhook can only be done by hand (Bitrix24 has no API to create one).
 */
import type { INodeProperties } from 'n8n-workflow';

import { CALL_START_EVENT, eventOptions } from './events';

export type TriggerAuthentication = 'outboundWebhook' | 'oAuth2';

export function triggerAuthentication(value: unknown): TriggerAuthentication {
	return value === 'oAuth2' ? 'oAuth2' : 'outboundWebhook';
}

/** A numbered list in a notice (n8n renders a notice's text as HTML). */
function steps(title: string, list: string[], after = ''): string {
	return `<b>${title}</b><ol>${list.map((step) => `<li>${step}</li>`).join('')}</ol>${after}`;
}

const outboundWebhookSetup: INodeProperties = {
	displayName: steps('Setup in Bitrix24', [
		'Open Developer resources → Other → Outbound webhook.',
		'Handler address: the Production URL of this node (Webhook URLs above).',
		'Events: the ones selected below (click-to-call is ONEXTERNALCALLSTART).',
		'Save, and copy the "Application token" it shows into this node\'s credential.',
		'In Telephony → Settings choose this outbound webhook as the "Default number for outgoing calls" (for everyone or per employee); otherwise click-to-call does not reach n8n.',
		'Activate the workflow. The test URL listens only while you wait for a test event.',
	]),
	name: 'outboundWebhookNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['outboundWebhook'] } },
};

const oAuth2Setup: INodeProperties = {
	displayName: steps('Setup', [
		'Create a local application in Bitrix24 with the "telephony" scope and connect the Bitrix24 OAuth2 credential.',
		"Put the application's Application Token into the credential: without it every event is refused (401), since a forged event could not be told from a real one.",
		'In Telephony → Settings make the application\'s line the "Default number for outgoing calls".',
		'Activate the workflow: the node calls event.bind for the selected events with its own URL (and event.unbind when deactivated).',
	]),
	name: 'oAuth2Notice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['oAuth2'] } },
};

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Outbound Webhook',
				value: 'outboundWebhook',
				description:
					'You create an outbound webhook in Bitrix24 by hand and paste its application token into the credential',
			},
			{
				name: 'OAuth2 (Local Application)',
				value: 'oAuth2',
				description:
					'The node subscribes to the events itself through a Bitrix24 local application',
			},
		],
		default: 'outboundWebhook',
	},
	outboundWebhookSetup,
	oAuth2Setup,
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		required: true,
		options: eventOptions,
		// Only click-to-call by default: a callback needs a different workflow (originate, then
		// Register and Finish), and a click-to-call workflow run for a callback would Finish a
		// call that does not exist. Callbacks are opted into deliberately.
		default: [CALL_START_EVENT],
		description:
			'Which events start the workflow. Events of other types that reach the URL are acknowledged and ignored.',
	},
];
