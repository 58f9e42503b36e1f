import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The application token of a Bitrix24 outbound webhook. Bitrix24 sends it inside every event
 * (`auth[application_token]`); the Bitrix24 Telephony Trigger refuses events without it. It is
 * never sent anywhere, so the credential has no `authenticate`.
 *
 * There is no `test` request on purpose: the token only travels from Bitrix24 to n8n, so no
 * request could confirm it. The trigger node tests it instead (`testedBy`), locally, for the
 * mistakes people make when pasting it; see nodes/Bitrix24TelephonyTrigger/credentialTest.ts.
 */
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
		},
	];
}
