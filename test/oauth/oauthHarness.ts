/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * OAuth2 test harness: registers the Bitrix24 OAuth2 credential (and a stand-in of n8n's
 * `oAuth2Api`, which lives in n8n-nodes-base) with the engine, and builds credential data the way
 * n8n does before a node sees it: parent and child properties merged, defaults applied, and the
 * `={{ … }}` expressions (authorization and token URLs) resolved with the credential as `$self`.
 */
import {
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodeTypes,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import type { Sandbox, TokenResponse } from '../../sandbox';
import { usePortal } from '../helpers/portal';
import { registerTypes } from '../helpers/workflowRunner';

/** The properties of n8n-nodes-base's `OAuth2Api` (n8n 2.x) that a child credential inherits. */
export class OAuth2ApiStandIn implements ICredentialType {
	name = 'oAuth2Api';

	displayName = 'OAuth2 API';

	genericAuth = true;

	properties: INodeProperties[] = [
		{
			displayName: 'Use Dynamic Client Registration',
			name: 'useDynamicClientRegistration',
			type: 'hidden',
			default: false,
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Authorization Code', value: 'authorizationCode' },
				{ name: 'Client Credentials', value: 'clientCredentials' },
				{ name: 'PKCE', value: 'pkce' },
			],
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: '',
			required: true,
		},
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{ displayName: 'Scope', name: 'scope', type: 'string', default: '' },
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'string',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Body', value: 'body' },
				{ name: 'Header', value: 'header' },
			],
			default: 'header',
		},
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSSLIssues',
			type: 'boolean',
			default: false,
			doNotInherit: true,
		},
	];
}

export const oauth2Credential = new Bitrix24OAuth2Api();

registerTypes({}, { bitrix24OAuth2Api: oauth2Credential, oAuth2Api: new OAuth2ApiStandIn() });

/** Parent properties first, the child's replacing them by name (n8n's credentials helper). */
export function mergedProperties(): INodeProperties[] {
	const merged: INodeProperties[] = [];
	NodeHelpers.mergeNodeProperties(merged, new OAuth2ApiStandIn().properties);
	NodeHelpers.mergeNodeProperties(merged, oauth2Credential.properties);
	return merged;
}

/** What n8n hands a node for a stored credential: defaults applied, expressions resolved. */
export function resolveCredentialData(
	stored: ICredentialDataDecryptedObject,
): ICredentialDataDecryptedObject {
	const properties = mergedProperties();
	const withDefaults = NodeHelpers.getNodeParameters(
		properties,
		stored as INodeParameters,
		true,
		false,
		null,
		null,
	) as INodeParameters;
	const data = { ...stored, ...withDefaults };
	const node: INode = {
		id: 'cred',
		name: 'Credential',
		type: 'cred',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => undefined as never,
		getByNameAndVersion: () => undefined as never,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getComplexParameterValue(
		node,
		data as INodeParameters,
		'manual',
		{},
		undefined,
		undefined,
		data,
	) as ICredentialDataDecryptedObject;
}

export const APP = {
	clientId: 'local.6a1b2c3d4e5f60.12345678',
	clientSecret: 'Sx9vQ2mLk4JrT7wZp1Yc8Hn3Bd6Fg0UeAa5Ro2Ki',
	applicationToken: 'apptoken5b1f0c9e7d6a4b3c2d1e0f9a8b7c6d5e',
};

export interface OAuthCredentialOptions {
	/** `oauthTokenData` as n8n stores it: the token server's answer (possibly partial). */
	tokens: Partial<TokenResponse> | Record<string, unknown>;
	portalUrl?: string;
	oauthServerUrl?: string;
	clientSecret?: string;
}

/** `{ bitrix24OAuth2Api: … }` for runNode, as n8n would resolve it for this sandbox. */
export function oauthCredentials(
	sandbox: Sandbox,
	options: OAuthCredentialOptions,
): { bitrix24OAuth2Api: ICredentialDataDecryptedObject } {
	return {
		bitrix24OAuth2Api: resolveCredentialData({
			portalUrl: options.portalUrl ?? sandbox.url,
			clientId: APP.clientId,
			clientSecret: options.clientSecret ?? APP.clientSecret,
			oauthServerUrl: options.oauthServerUrl ?? sandbox.url,
			applicationToken: APP.applicationToken,
			oauthTokenData: options.tokens as never,
		}),
	};
}

/**
 * A sandbox portal that refuses webhooks for application-only methods (the documentation's mode),
 * with the test application registered, and fresh tokens issued before each test.
 */
export function useOAuthPortal(): { portal: () => Sandbox; current: { tokens: TokenResponse } } {
	const { portal } = usePortal({ authTypeMode: 'doc' });
	const current = {} as { tokens: TokenResponse };
	beforeAll(() => {
		portal().oauth.registerApp({ ...APP, scopes: ['telephony', 'crm', 'user'] });
	});
	beforeEach(() => {
		current.tokens = portal().oauth.issueTokens(APP.clientId);
		portal().clearRequests();
	});
	return { portal, current };
}
