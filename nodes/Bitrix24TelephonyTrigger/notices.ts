/**
 * The setup steps the trigger shows in the editor. n8n renders a notice through sanitize-html
 * keeping only `a`, `ul` and `li` (design-system N8nNotice/Notice.vue, `allowedTags`), so `<b>`
 * and `<ol>` vanish: the steps are a `<ul>` whose items carry their own numbers.
 */
import type { INodeProperties } from 'n8n-workflow';

import { V1, V11 } from './versions';

/** "Title:" and numbered steps, in the tags n8n's notice keeps. */
export function steps(title: string, list: string[], after = ''): string {
	const items = list.map((step, index) => `<li>${index + 1}. ${step}</li>`).join('');
	return `${title}:<ul>${items}</ul>${after}`;
}

const OUTBOUND_WEBHOOK_STEPS = [
	'In Bitrix24 open Developer resources → Other → Outbound webhook.',
	'Handler address: the Production URL of this node (Webhook URLs above).',
	'Events: the ones selected below.',
	'Save, and copy the "Application token" it shows into this node\'s credential.',
	'Activate the workflow. The test URL listens only while you wait for a test event.',
];

const CLICK_TO_CALL_ROUTING =
	'In Telephony → Settings choose this outbound webhook as the "Default number for outgoing calls" (for everyone or per employee); otherwise click-to-call does not reach n8n.';

export const outboundWebhookNoticeV1: INodeProperties = {
	displayName: steps('Setup in Bitrix24', [
		...OUTBOUND_WEBHOOK_STEPS.slice(0, 4),
		CLICK_TO_CALL_ROUTING,
		OUTBOUND_WEBHOOK_STEPS[4],
	]),
	name: 'outboundWebhookNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...V1, authentication: ['outboundWebhook'] } },
};

export const outboundWebhookNoticeV11: INodeProperties = {
	displayName: steps(
		'Setup in Bitrix24',
		OUTBOUND_WEBHOOK_STEPS,
		'Current Bitrix24 portals do not send click-to-call (ONEXTERNALCALLSTART) to an outbound webhook, only to an application: for click-to-call choose or create a Bitrix24 OAuth2 credential in the Credential field. An outbound webhook still receives callbacks, call started and call ended, and click-to-call on older portals.',
	),
	name: 'outboundWebhookNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...V11, authentication: ['outboundWebhook'] } },
};

const OAUTH2_STEPS = [
	'Create a local application in Bitrix24 with the "telephony" scope and connect the Bitrix24 OAuth2 credential.',
	"Put the application's Application Token into the credential: without it every event is refused (401), since a forged event could not be told from a real one.",
	'For click-to-call, make the application the "Default number for outgoing calls" in Telephony → Settings (or an employee\'s default).',
	'Activate the workflow: the node calls event.bind for the selected events with its own URL (and event.unbind when deactivated).',
];

export const oAuth2NoticeV1: INodeProperties = {
	displayName: steps('Setup', OAUTH2_STEPS),
	name: 'oAuth2Notice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...V1, authentication: ['oAuth2'] } },
};

export const oAuth2NoticeV11: INodeProperties = {
	displayName: steps('Setup', [
		OAUTH2_STEPS[0],
		'No Application Token yet? Turn on "Receive Application Token" below and follow its steps once.',
		'For click-to-call, create a line for the application (Bitrix24 Telephony node, Line → Create, with this credential) and make the application the "Default number for outgoing calls" in Telephony → Settings (or an employee\'s default).',
		OAUTH2_STEPS[3],
	]),
	name: 'oAuth2Notice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...V11, authentication: ['oAuth2'], applicationTokenSetup: [false] } },
};

export const tokenSetupNotice: INodeProperties = {
	displayName: steps(
		'Receive the Application Token (once, while the credential has none)',
		[
			'Connect the Bitrix24 OAuth2 credential (Connect my account) for your portal.',
			'In Bitrix24 open the local application and set "Path for initial installation" to this node\'s Test URL (Webhook URLs above).',
			'Click "Listen for test event" here, then reinstall the application in Bitrix24.',
			'Copy "applicationToken" from the output into the credential\'s Application Token field, turn this option off, and delete this test execution.',
		],
		'The node accepts only ONAPPINSTALL, only on the test URL, only while the credential has no token, only once, and only from the portal and member ID of the credential, and starts nothing else. What remains: anyone who knows the test URL, the portal and its member ID while you listen could post a token of their own. Take the token only from the execution that followed your reinstall; if events are refused later, repeat.',
	),
	name: 'tokenSetupNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...V11, authentication: ['oAuth2'], applicationTokenSetup: [true] } },
};
