import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { rateLimitProperties } from '../shared/rateLimitProperties';
import { parseWebhookUrl, WEBHOOK_URL_SHAPE } from '../shared/webhookUrl';

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
			placeholder: `e.g. ${WEBHOOK_URL_SHAPE}`,
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

	/**
	 * One request (n8n's credential test can send only one; a node-level test function would get
	 * only the deprecated `helpers.request`): a `batch` of `profile`, which proves the URL and
	 * code, and `telephony.externalLine.get`, a harmless read that newer portals refuse to
	 * webhooks exactly like Register and Finish (WRONG_AUTH_TYPE). Bitrix24 answers a batch with
	 * 200 and puts each command's error under `result.result_error.<name>`, which the rules read.
	 */
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: 'batch.json',
			body: { halt: 0, cmd: { profile: 'profile', telephony: 'telephony.externalLine.get' } },
			json: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'result.result_error.telephony.error',
					value: 'WRONG_AUTH_TYPE',
					message:
						'The webhook works, but this portal does not accept telephony methods from a webhook (Bitrix24: WRONG_AUTH_TYPE). Register, Finish, Log Completed Call and the line operations need the Bitrix24 OAuth2 credential; Show/Hide Card, Search CRM Entities and the attach operations work with this webhook.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'result.result_error.telephony.error',
					value: 'insufficient_scope',
					message:
						'The webhook works, but it lacks the "telephony" permission. In Bitrix24 edit the inbound webhook, tick telephony (and crm, user) and save; the URL stays the same.',
				},
			},
		],
	};
}
