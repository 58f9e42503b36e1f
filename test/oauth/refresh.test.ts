/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Access-token expiry through the engine: `expired_token` leads to exactly one refresh through
 * n8n's OAuth2 machinery (the rotated refresh token saved by n8n), then the call goes through;
 * a refresh that fails, and the other 401s, end with a clear error and no refresh.
 *
 * One file over 250 lines: every case shares the expiring-token portal and the watch on n8n's refresh.
 */
import type { TokenResponse } from '../../sandbox';
import { restMethods } from '../helpers/portal';
import { runNode, type NodeRunResult, type RunNodeOptions } from '../helpers/workflowRunner';
import { APP, oauthCredentials, useOAuthPortal, type OAuthCredentialOptions } from './oauthHarness';
import { REGISTER_PARAMETERS } from '../helpers/fixtures';

const { portal, current } = useOAuthPortal();

afterEach(() => jest.restoreAllMocks());

const REGISTER = { authentication: 'oAuth2', ...REGISTER_PARAMETERS };

let counter = 0;

async function register(
	credentialOptions: Partial<OAuthCredentialOptions> = {},
	extra: Partial<RunNodeOptions> = {},
): Promise<NodeRunResult> {
	return await runNode({
		credentials: oauthCredentials(portal(), { tokens: current.tokens, ...credentialOptions }),
		parameters: {
			...REGISTER,
			additionalFields: { externalCallId: `refresh-${++counter}` },
		} as never,
		...extra,
	});
}

function tokenRequests() {
	return portal().requests.filter((r) => r.restMethod === 'oauth.token');
}

describe('expired access token', () => {
	test('is refreshed exactly once through n8n, the rotated tokens saved, and the call goes through', async () => {
		portal().oauth.expireAccessTokens();
		const result = await register();
		expect(result.status).toBe('success');
		expect(result.items[0].json.CALL_ID).toMatch(/^externalCall\./);

		expect(restMethods(portal())).toEqual([
			'telephony.externalcall.register',
			'oauth.token',
			'telephony.externalcall.register',
		]);
		const [first, refresh, retry] = portal().requests;
		expect(first.response).toMatchObject({ error: 'expired_token' });
		expect(first.status).toBe(401);
		// Bitrix24's token endpoint, refresh grant, client credentials in the form body.
		expect(refresh.path).toBe('/oauth/token/');
		expect(refresh.params).toMatchObject({
			grant_type: 'refresh_token',
			refresh_token: current.tokens.refresh_token,
			client_id: APP.clientId,
			client_secret: APP.clientSecret,
		});
		expect(refresh.status).toBe(200);

		// n8n saved the rotated pair (through updateCredentialsOauthTokenData), once.
		const updates = result.credentialsHelper.updates;
		expect(updates).toHaveLength(1);
		expect(updates[0].type).toBe('bitrix24OAuth2Api');
		const saved = updates[0].data.oauthTokenData as Record<string, unknown>;
		const issued = refresh.response as TokenResponse;
		expect(saved).toMatchObject({
			access_token: issued.access_token,
			refresh_token: issued.refresh_token,
			client_endpoint: `${portal().url}/rest/`,
		});
		expect(saved.refresh_token).not.toBe(current.tokens.refresh_token);
		// The retry carried the new token.
		expect(retry.params.auth).toBe(issued.access_token);
		expect(retry.status).toBe(200);
	});

	test('one refresh serves a whole batch of items', async () => {
		portal().oauth.expireAccessTokens();
		const result = await runNode({
			credentials: oauthCredentials(portal(), { tokens: current.tokens }),
			parameters: {
				...REGISTER,
				phoneNumber: '={{ $json.phone }}',
				additionalFields: { externalCallId: '={{ $json.ext }}' },
			} as never,
			items: [
				{ phone: '+4915112345678', ext: `batch-${++counter}` },
				{ phone: '+4930111222', ext: `batch-${++counter}` },
				{ phone: '+4930555444', ext: `batch-${++counter}` },
			],
		});
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(3);
		expect(restMethods(portal())).toEqual(['batch', 'oauth.token', 'batch']);
		expect(result.credentialsHelper.updates).toHaveLength(1);
	});
});

describe('a refresh that fails', () => {
	test('a revoked refresh token: invalid_grant, telling the user to reconnect', async () => {
		portal().oauth.expireAccessTokens();
		portal().oauth.revoke(current.tokens.refresh_token);
		const result = await register();
		expect(result.status).toBe('error');
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register', 'oauth.token']);
		expect(tokenRequests()[0].response).toMatchObject({ error: 'invalid_grant' });
		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toMatch(
			/^Bitrix24 refused to refresh the access token: reconnect the credential \(Bitrix24: invalid_grant ".+"\)$/,
		);
		expect(result.error?.description).toContain('click "Reconnect"');
		expect(result.error?.httpCode).toBe('401');
		expect(result.credentialsHelper.updates).toHaveLength(0);
	});

	test('a wrong client secret: invalid_client, naming where the keys are', async () => {
		portal().oauth.expireAccessTokens();
		const result = await register({ clientSecret: 'WrongSecret0123456789abcdefWrongSecret0' });
		expect(result.status).toBe('error');
		expect(tokenRequests()[0].response).toMatchObject({ error: 'invalid_client' });
		expect(result.error?.message).toBe(
			'Bitrix24 rejected the application\'s client ID or client secret (Bitrix24: invalid_client "Invalid client credentials")',
		);
		expect(result.error?.description).toContain('Local applications');
	});

	test('an unreachable OAuth server: says which setting to check, leaks nothing', async () => {
		portal().oauth.expireAccessTokens();
		const result = await register({ oauthServerUrl: 'http://127.0.0.1:9' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Could not refresh the Bitrix24 access token: the OAuth server did not answer',
		);
		expect(result.error?.description).toMatch(/^ECONNREFUSED. Check "OAuth Server URL"/);
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
	});
});

describe('other 401 answers do not refresh', () => {
	test('invalid_token (unknown token)', async () => {
		const result = await register({ tokens: { ...current.tokens, access_token: 'f'.repeat(48) } });
		expect(result.status).toBe('error');
		expect(portal().requests[0].response).toMatchObject({ error: 'invalid_token' });
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
		expect(result.error?.message).toBe(
			'Bitrix24 does not recognise the access token (Bitrix24: invalid_token "Unable to get application by token")',
		);
		expect(result.credentialsHelper.updates).toHaveLength(0);
	});

	test('insufficient_scope names the scope to add', async () => {
		portal().oauth.registerApp({
			clientId: 'local.noTelephony01',
			clientSecret: 'NoTelSecret0123456789abcdefghij',
			scopes: ['crm', 'user'],
		});
		const narrow = portal().oauth.issueTokens('local.noTelephony01');
		portal().clearRequests();
		const result = await register({
			tokens: narrow,
			clientSecret: 'NoTelSecret0123456789abcdefghij',
		});
		expect(result.status).toBe('error');
		expect(portal().requests[0]).toMatchObject({
			status: 401,
			response: { error: 'insufficient_scope' },
		});
		expect(restMethods(portal())).toEqual(['telephony.externalcall.register']);
		expect(result.error?.message).toContain('"telephony"');
		expect(result.error?.description).toContain('local application');
	});
});

describe('still expired after the refresh', () => {
	test('is not refreshed a second time', async () => {
		const expired = {
			status: 401,
			body: JSON.stringify({
				error: 'expired_token',
				error_description: 'The access token provided has expired.',
			}),
			headers: { 'Content-Type': 'application/json' },
		};
		portal().configure({ faults: { next: [expired, expired] } });
		const result = await register();
		expect(result.status).toBe('error');
		expect(restMethods(portal())).toEqual([
			'telephony.externalcall.register',
			'oauth.token',
			'telephony.externalcall.register',
		]);
		expect(result.credentialsHelper.updates).toHaveLength(1);
		expect(result.error?.message).toBe(
			'Bitrix24 still reports the access token as expired after refreshing it (Bitrix24: expired_token "The access token provided has expired.")',
		);
		expect(result.error?.description).toContain('click "Reconnect"');
	});
});
