import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { rateLimitProperties } from '../shared/rateLimitProperties';

/**
 * `https://portal.example.com` from what the user typed: scheme added when missing, any path,
 * query or trailing slash dropped. An n8n expression, resolved with the credential as `$self`.
 */
const PORTAL_ORIGIN =
	'(/^https?:\\/\\//i.test(String($self["portalUrl"] ?? "").trim()) ? "" : "https://") + String($self["portalUrl"] ?? "").trim().replace(/^(https?:\\/\\/[^\\/?#]+).*$/i, "$1").replace(/\\/+$/, "")';

const OAUTH_SERVER =
	'(String($self["oauthServerUrl"] ?? "").trim() || "https://oauth.bitrix.info").replace(/\\/+$/, "")';

/**
 * A Bitrix24 local application ("server-side, uses API only"), connected through n8n's OAuth2
 * flow: the user signs in on the portal (`<portal>/oauth/authorize/`), n8n exchanges the code and
 * later refreshes the tokens at Bitrix24's OAuth server (`<oauthServerUrl>/oauth/token/`, client
 * ID and secret in the form body). The REST calls themselves go to the token's `client_endpoint`
 * (see nodes/Bitrix24Telephony/transport/oauth.ts for how the token is sent).
 */
export class Bitrix24OAuth2Api implements ICredentialType {
	name = 'bitrix24OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Bitrix24 OAuth2 API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl =
		'https://github.com/n8n-nodes-bitrix24-telephony/n8n-nodes-bitrix24-telephony#bitrix24-oauth2-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		// First here, yet shown after Client ID and Client Secret, and n8n gives no way around it:
		// the form lists the parent's (oAuth2Api's) properties first and then the child's, a child
		// property with a parent's name taking the parent's place (n8n-workflow
		// NodeHelpers.mergeNodeProperties, used by editor-ui's credential form and by the cli's
		// CredentialsHelper). clientId and clientSecret are oAuth2Api names, portalUrl is not; the
		// names are the contract of saved credentials, so the order stays as n8n makes it.
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://example.bitrix24.com',
			description:
				'The address of your Bitrix24 as it appears in the browser, e.g. https://example.bitrix24.com or the address of a self-hosted portal',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. local.0123456789abcd.12345678',
			description:
				'"Application ID (client_id)" of a local application: in Bitrix24 open Developer resources → Other → Local application, enable "Application uses API only", set "Your handler path" to the OAuth Redirect URL shown above, tick the permissions telephony, crm and user, and save',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'"Application key (client_secret)" shown next to the Application ID after saving the local application',
		},
		{
			displayName: 'OAuth Server URL',
			name: 'oauthServerUrl',
			type: 'string',
			default: 'https://oauth.bitrix.info',
			description:
				'Where Bitrix24 issues and refreshes the tokens. Cloud and self-hosted portals both use https://oauth.bitrix.info; change it only if your portal uses another authorization server.',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: `={{ ${PORTAL_ORIGIN} }}/oauth/authorize/`,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: `={{ ${OAUTH_SERVER} }}/oauth/token/`,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			// Bitrix24 grants the permissions ticked in the application's settings; sent for completeness.
			default: 'telephony,crm,user',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			// Client ID and secret in the form body of token requests, as oauth.bitrix.info expects.
			default: 'body',
		},
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Required for the Bitrix24 Telephony Trigger (it refuses every event without it), not needed by the action node. The token Bitrix24 sends with every event of this application (auth[application_token]); Bitrix24 posts it to the application\'s "Path for initial installation" when the application is installed.',
		},
		...rateLimitProperties,
	];
}
