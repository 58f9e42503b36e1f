/**
 * The right credential before the first failure: Bitrix24's current documentation allows
 * `telephony.externalcall.register`, `.finish` and `telephony.externalLine.*` only to
 * applications, and newer portals answer WRONG_AUTH_TYPE to an inbound webhook. The notice shows
 * on exactly those operations while Authentication is the webhook.
 */
import type { INodeProperties } from 'n8n-workflow';

export const WEBHOOK_NOTICE_TEXT =
	'Newer Bitrix24 portals accept this operation only from an application and answer an inbound webhook with WRONG_AUTH_TYPE (Register, Finish, Log Completed Call and the line operations). If yours does, set Authentication to "OAuth2 (Local Application)". The webhook credential\'s Test button tells you which kind your portal is.';

function notice(name: string, show: Record<string, string[]>): INodeProperties {
	return {
		displayName: WEBHOOK_NOTICE_TEXT,
		name,
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['webhook'], ...show } },
	};
}

export const webhookNotices: INodeProperties[] = [
	notice('webhookCallNotice', {
		resource: ['call'],
		operation: ['register', 'finish', 'logCompletedCall'],
	}),
	notice('webhookLineNotice', { resource: ['line'] }),
];
