import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The application token of a Bitrix24 outbound webhook. Bitrix24 sends it inside every event
 * (`auth[application_token]`); the Bitrix24 Telephony Trigger refuses events without it. It is
 * never sent anywhere, so the credential has no `authenticate`.
 *
 * Nothing outside can confirm the token: it only travels from Bitrix24 to n8n, inside events. The
 * Test button (the trigger node's `testedBy`, nodes/Bitrix24TelephonyTrigger/credentialTest.ts;
 * n8n's lint requires every credential to have one) can only check the token's shape, and n8n's
 * editor answers every passing test with its fixed "Connection tested successfully", dropping the
 * test's own message (editor-ui CredentialConfig shows `connectionTestedSuccessfully` for any
 * `OK`; INodeCredentialTestResult is only `OK` or `Error`). So the field's hint, always visible,
 * says what Test checks and what it cannot, and the pasting mistakes show while the user types,
 * as notices displayed only for such a value (`displayOptions` with `_cnd.regex`, which n8n
 * evaluates on the form's values).
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
			hint: 'Test checks only that this looks like an application token: Bitrix24 cannot confirm it from outside, as it only travels inside events. The trigger compares it with every event and answers those without it with HTTP 401.',
		},
		...TOKEN_NOTICES,
	];
}
