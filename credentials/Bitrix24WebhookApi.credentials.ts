import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { rateLimitProperties } from '../shared/rateLimitProperties';
import { parseWebhookUrl, WEBHOOK_URL_SHAPE } from '../shared/webhookUrl';

/** What works with a webhook on a portal that keeps telephony methods to applications. */
const WEBHOOK_OPERATIONS =
	'Show Card, Hide Card, Search CRM Entities, Get Call History, Attach Record and Attach Transcription';

/**
 * What the Test button says, rule by rule. n8n's credential tester (packages/cli
 * credentials-tester.service.ts) reads each rule by its `type`: `responseCode` when the request
 * fails with that HTTP status, `responseSuccessBody` when a successful answer holds the value.
 * Without the status rules a wrong code shows only the HTTP status text ("Unauthorized").
 * Bitrix24 answers an unknown, deleted or expired webhook code with 401 INVALID_CREDENTIALS
 * (some portals 403), and a dismissed webhook owner with 401 too.
 */
const UNKNOWN_WEBHOOK =
	'Bitrix24 does not know this webhook (INVALID_CREDENTIALS): the code in the URL is wrong, or the webhook was deleted or has expired, or the employee it belongs to no longer works there. In Bitrix24 open Developer resources → Other → Inbound webhook and copy its URL again. (A portal that requires HTTPS answers an http:// URL the same way: try https://.)';

const WEBHOOK_TEST_RULES: Array<
	IAuthenticateRuleResponseCode | IAuthenticateRuleResponseSuccessBody
> = [
	{ type: 'responseCode', properties: { value: 401, message: UNKNOWN_WEBHOOK } },
	{ type: 'responseCode', properties: { value: 403, message: UNKNOWN_WEBHOOK } },
	{
		type: 'responseSuccessBody',
		properties: {
			key: 'result.result_error.telephony.error',
			value: 'WRONG_AUTH_TYPE',
			message: `The webhook is valid and works for ${WEBHOOK_OPERATIONS}. This portal accepts Register, Finish, Log Completed Call and the line operations only from an application (Bitrix24: WRONG_AUTH_TYPE): for those, choose or create a Bitrix24 OAuth2 API credential in the node's Credential field.`,
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
];

/**
 * A Bitrix24 inbound webhook. Its URL IS the secret (the code is a path segment), so it is one
 * password field, and `authenticate` turns it into the base URL of every request.
 */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-bitrix24-telephony/n8n-nodes-bitrix24-telephony#bitrix24-webhook-api';

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
		// The tester handles both kinds in one list; n8n's type allows only one kind per list.
		rules: WEBHOOK_TEST_RULES as IAuthenticateRuleResponseSuccessBody[],
	};
}
