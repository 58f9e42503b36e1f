/**
 * Is this event from our Bitrix24? Bitrix24 puts a shared secret, the application token, into
 * every event (`auth[application_token]`, docs/bitrix24-fidelity.md rows 27–29): the one shown for an outbound webhook,
 * or the app's token for an OAuth2 application. Anyone who learns the n8n URL can post to it, so
 * the token is the only thing that tells a real event from a forged one.
 */
import { createHash, timingSafeEqual } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

import type { TriggerAuthentication } from './description';
import { credentialTypeOf } from './portalClient';

export const OUTBOUND_WEBHOOK_CREDENTIAL = 'bitrix24OutboundWebhookApi';

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time comparison. Both sides are hashed first: `timingSafeEqual` needs equal lengths,
 * and comparing digests does not reveal how long the expected token is either.
 */
export function tokensMatch(received: unknown, expected: string): boolean {
	if (typeof received !== 'string' || received === '' || expected === '') return false;
	return timingSafeEqual(digest(received), digest(expected));
}

/**
 * The token events must carry, from the credential of the chosen mode; '' when none is stored.
 * An OAuth2 application only learns its token from Bitrix24's events (ONAPPINSTALL or any other),
 * so the OAuth2 credential may lack it; then no event can be authenticated (see the node).
 */
export async function expectedToken(
	ctx: IWebhookFunctions,
	mode: TriggerAuthentication,
): Promise<string> {
	const credentials = await ctx.getCredentials(
		mode === 'oAuth2' ? credentialTypeOf('oAuth2') : OUTBOUND_WEBHOOK_CREDENTIAL,
	);
	const token = credentials.applicationToken;
	return typeof token === 'string' ? token.trim() : '';
}
