/**
 * The "Test" button of the Bitrix24 Outbound Webhook credential. An outbound webhook's token
 * only travels from Bitrix24 to n8n, inside events: Bitrix24 has no request with which n8n
 * could check it, and calling some endpoint would prove nothing about the token. The honest test
 * is therefore local: it catches what users actually paste by mistake (nothing, a URL, a token
 * with spaces or cut short). n8n shows a pass as "Connection tested successfully" whatever the
 * message says, so the credential field's hint says what this test checks.
 */
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	INodeCredentialTestResult,
} from 'n8n-workflow';

import { TOKEN_SHAPE } from '../../credentials/Bitrix24OutboundWebhookApi.credentials';

/** The shape the credential's own notices check while the user types. */
const SHAPE = new RegExp(`^${TOKEN_SHAPE}$`);

export async function testOutboundWebhookToken(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const token = String(credential.data?.applicationToken ?? '').trim();
	if (token === '') {
		return {
			status: 'Error',
			message: 'Enter the application token that Bitrix24 shows for the outbound webhook',
		};
	}
	if (/^https?:\/\//i.test(token) || token.includes('/')) {
		return {
			status: 'Error',
			message:
				'This looks like a URL. Paste the "Application token" of the outbound webhook, not a webhook address',
		};
	}
	if (!SHAPE.test(token)) {
		return {
			status: 'Error',
			message:
				'This does not look like a Bitrix24 application token (usually 32 letters and digits). Copy it again from the outbound webhook in Bitrix24',
		};
	}
	return {
		status: 'OK',
		message:
			'The token looks right. Bitrix24 cannot confirm it from outside: the trigger compares it with every event and refuses events that do not carry it',
	};
}
