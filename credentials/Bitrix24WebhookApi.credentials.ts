import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	parseWebhookUrl,
	WEBHOOK_URL_SHAPE,
} from '../nodes/Bitrix24Telephony/transport/webhookUrl';
import { rateLimitProperties } from './planProperty';

/**
 * A Bitrix24 inbound webhook. Its URL IS the secret (the code is a path segment), so it is one
 * password field, and `authenticate` turns it into the base URL of every request.
 */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-bitrix24-telephony/n8n-nodes-bitrix24-telephony#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: WEBHOOK_URL_SHAPE,
			description:
				'In Bitrix24: Developer resources → Other → Inbound webhook, with the permissions telephony, crm and user. Paste the webhook URL it shows (a trailing "profile" or "profile.json" is fine).',
		},
		...rateLimitProperties,
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return { ...requestOptions, baseURL: parseWebhookUrl(credentials.webhookUrl).baseUrl };
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: 'profile.json',
		},
	};
}
