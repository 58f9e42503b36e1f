/**
 * The trigger's parameters. `authentication` and `events` (and their values) are fixed by the
 * contract; version 1.1 changes the default of `authentication` to the OAuth2 application and
 * adds `fetchCallRecord` and `applicationTokenSetup` (versions.ts). The notices (notices.ts)
 * walk the user through the setup in Bitrix24.
 */
import type { INodeProperties } from 'n8n-workflow';

import { CALL_START_EVENT, eventOptions, eventOptionsV11 } from './events';
import {
	oAuth2NoticeV1,
	oAuth2NoticeV11,
	outboundWebhookNoticeV1,
	outboundWebhookNoticeV11,
	tokenSetupNotice,
} from './notices';
import { V1, V11, V11_AUTHENTICATION } from './versions';

export type TriggerAuthentication = 'outboundWebhook' | 'oAuth2';

export function triggerAuthentication(value: unknown): TriggerAuthentication {
	return value === 'oAuth2' ? 'oAuth2' : 'outboundWebhook';
}

const authenticationOptions = [
	{
		name: 'Outbound Webhook',
		value: 'outboundWebhook',
		description:
			'You create an outbound webhook in Bitrix24 by hand and paste its application token into the credential',
	},
	{
		name: 'OAuth2 (Local Application)',
		value: 'oAuth2',
		description: 'The node subscribes to the events itself through a Bitrix24 local application',
	},
];

// Only click-to-call by default: a callback needs a different workflow (originate, then
// Register and Finish), and a click-to-call workflow run for a callback would Finish a call
// that does not exist. Other events are opted into deliberately.
const eventsDescription =
	'Which events start the workflow. Events of other types that reach the URL are acknowledged and ignored.';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: authenticationOptions,
		default: 'outboundWebhook',
		displayOptions: { show: V1 },
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: authenticationOptions,
		default: 'oAuth2',
		description:
			'To switch, choose or create a credential of that kind in the Credential field above',
		displayOptions: { show: V11_AUTHENTICATION },
	},
	outboundWebhookNoticeV1,
	outboundWebhookNoticeV11,
	oAuth2NoticeV1,
	oAuth2NoticeV11,
	{
		displayName: 'Receive Application Token',
		name: 'applicationTokenSetup',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether this node only receives the application token Bitrix24 posts once when the application is installed (ONAPPINSTALL), to copy into the credential. Turn it off afterwards.',
		displayOptions: { show: { ...V11, authentication: ['oAuth2'] } },
	},
	tokenSetupNotice,
	// First: n8n's nodes panel lists a trigger's actions from the first property displayed as
	// "Events", whatever its version (editor-ui 2.41, the trigger actions' generator), and sets
	// that property's value and display conditions on the node it adds: the newest version's.
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		required: true,
		options: eventOptionsV11,
		default: [CALL_START_EVENT],
		description: eventsDescription,
		displayOptions: { show: V11, hide: { applicationTokenSetup: [true] } },
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		noDataExpression: true,
		required: true,
		options: eventOptions,
		default: [CALL_START_EVENT],
		description: eventsDescription,
		displayOptions: { show: V1 },
	},
	// Shown whatever the events: a credential depends on this field (the inbound webhook that
	// reads the record), and n8n's editor hides every field named in the `show` of such a field,
	// to move it into the credential dialog (editor-ui `isAuthRelatedParameter`). With `events`
	// here the Events field itself vanished from the panel.
	{
		displayName: 'Fetch Call Record',
		name: 'fetchCallRecord',
		type: 'boolean',
		default: false,
		description:
			'Whether a Call Ended event also brings the call\'s record from the call history (voximplant.statistic.get) in "record": duration, result code, cost, recording, CRM binding. Other events are not changed. With an outbound webhook this needs a Bitrix24 Webhook credential (inbound webhook) too.',
		displayOptions: { show: V11, hide: { applicationTokenSetup: [true] } },
	},
];
