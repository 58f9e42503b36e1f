import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The application token of a Bitrix24 outbound webhook. Bitrix24 sends it inside every event
 * (`auth[application_token]`); the Bitrix24 Telephony Trigger refuses events without it. It is
 * never sent anywhere, so the credential has no `authenticate`.
 *
 * No Test button, on purpose. The token only travels from Bitrix24 to n8n, so no request could
 * confirm it, and a local check could not say so: n8n's editor answers every passing test with
 * the fixed words "Connection tested successfully" and drops the test's own message
 * (editor-ui CredentialConfig: an `OK` result shows `connectionTestedSuccessfully`), and a test
 * result is only `OK` or `Error` (INodeCredentialTestResult). So the mistakes people make when
 * pasting it are caught while they type, by notices shown only when the value has that mistake
 * (`displayOptions` with `_cnd.regex`, evaluated by n8n on the form's values).
 */

/** Bitrix24 shows 32 lowercase letters and digits; some room for other portal versions. */
export const TOKEN_SHAPE = '[A-Za-z0-9_-]{16,128}';
const URL_LIKE = '^\\s*https?:|/';

const tokenNotice = (name: string, regex: string, displayName: string): INodeProperties => ({
	displayName,
	name,
	type: 'notice',
	default: '',
	displayOptions: { show: { applicationToken: [{ _cnd: { regex } }] } },
});

export const TOKEN_NOTICES: INodeProperties[] = [
	tokenNotice(
		'tokenLooksLikeUrl',
		URL_LIKE,
		'This looks like a URL. Paste the "Application token" that Bitrix24 shows for the outbound webhook, not a webhook address.',
	),
	tokenNotice(
		'tokenHasWrongShape',
		`^(?!\\s*https?:)(?!.*/)(?!\\s*${TOKEN_SHAPE}\\s*$).+`,
		'This does not look like a Bitrix24 application token (usually 32 letters and digits, no spaces). Copy it again from the outbound webhook in Bitrix24.',
	),
];

export class Bitrix24OutboundWebhookApi implements ICredentialType {
	name = 'bitrix24OutboundWebhookApi';

	displayName = 'Bitrix24 Outbound Webhook API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-bitrix24-telephony/n8n-nodes-bitrix24-telephony#bitrix24-outbound-webhook-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'In Bitrix24: Developer resources → Other → Outbound webhook. After saving the webhook, Bitrix24 shows its "Application token": paste it here. Events that do not carry it are refused.',
			hint: 'Bitrix24 cannot confirm this token from outside (it only travels inside events), so this credential has no Test. The trigger compares it with every event and answers those without it with HTTP 401.',
		},
		...TOKEN_NOTICES,
	];
}
