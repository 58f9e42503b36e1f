/**
 * The `authentication` parameter: which credential the node uses. Its default depends on the node
 * version: versions 1 and 1.1 default to the inbound webhook (saved workflows keep it), 1.2 to
 * the OAuth2 application, because Bitrix24's current documentation allows register, finish and
 * the line methods only in an application's context. n8n's editor shows no field for it when a
 * node offers several credential types: the Credential field lists both, and picking one sets it.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { AuthenticationMode } from '../transport/auth/connection';
import type { ShowWhen } from './descriptions';

export function authenticationProperty(
	defaultMode: AuthenticationMode,
	versions: ShowWhen,
): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{
				name: 'Inbound Webhook',
				value: 'webhook',
				description:
					'A webhook URL from Bitrix24. Enough for Show/Hide Card, Search, Get Call History and the attach operations; newer portals require OAuth2 for Register, Finish, Log Completed Call and lines.',
			},
			{
				name: 'OAuth2 (Local Application)',
				value: 'oAuth2',
				description: 'A Bitrix24 local application. Works for every method on every portal.',
			},
		],
		default: defaultMode,
		displayOptions: { show: versions },
	};
}
