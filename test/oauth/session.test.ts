/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * OAuth2Session on its own, with a fake n8n context whose credential store several "executions"
 * share (as n8n's database is shared): signing rules, coalesced refreshes, adopting a token
 * another execution already renewed.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { connectionFromCredentials } from '../../nodes/Bitrix24Telephony/transport/auth/connection';
import { Bitrix24Failure } from '../../nodes/Bitrix24Telephony/transport/errors';
import { OAuth2Session } from '../../nodes/Bitrix24Telephony/transport/auth/oauth';

interface Store {
	data: ICredentialDataDecryptedObject;
	refreshes: number;
}

function tokenData(n: number, endpoint = 'https://portal.example.com/rest/') {
	return {
		access_token: `access-token-${n}-xxxxxxxx`,
		refresh_token: `refresh-token-${n}-xxxxxxxx`,
		client_endpoint: endpoint,
	};
}

function newStore(): Store {
	return {
		data: {
			portalUrl: 'https://portal.example.com',
			clientId: 'local.1',
			clientSecret: 'client-secret-xxxxxxxx',
			oauthTokenData: tokenData(1),
		},
		refreshes: 0,
	};
}

/** One execution's context: reads the shared store; its refresh helper rotates the tokens after a delay. */
function fakeContext(store: Store, refresh: 'rotates' | 'fails' | 'keeps' = 'rotates') {
	return {
		getCredentials: async () =>
			JSON.parse(JSON.stringify(store.data)) as ICredentialDataDecryptedObject,
		getNode: () => ({ name: 'Bitrix24' }),
		helpers: {
			refreshOAuth2Token: jest.fn(async () => {
				store.refreshes++;
				await new Promise((resolve) => setTimeout(resolve, 20));
				if (refresh === 'fails')
					throw Object.assign(new Error('invalid'), {
						body: { error: 'invalid_grant', error_description: 'Invalid refresh token' },
					});
				if (refresh === 'rotates')
					store.data = { ...store.data, oauthTokenData: tokenData(store.refreshes + 1) };
			}),
			httpRequestWithAuthentication: jest.fn(),
		},
	};
}

function session(store: Store, refresh: 'rotates' | 'fails' | 'keeps' = 'rotates') {
	const ctx = fakeContext(store, refresh);
	const connection = connectionFromCredentials('oAuth2', store.data);
	return { ctx, connection, session: new OAuth2Session(ctx as never, connection) };
}

describe('signing', () => {
	test('JSON bodies get `auth`; the REST base is client_endpoint', async () => {
		const { session: s, connection } = session(newStore());
		const signed = await s.sign('profile', { url: 'profile.json', body: { A: 1 }, json: true });
		expect(signed.request).toEqual({
			url: 'profile.json',
			body: { A: 1, auth: 'access-token-1-xxxxxxxx' },
			json: true,
			baseURL: 'https://portal.example.com/rest/',
		});
		expect(signed.accessToken).toBe('access-token-1-xxxxxxxx');
		expect(connection.baseURL).toBe('https://portal.example.com/rest/');
		expect(connection.redactor.text('x refresh-token-1-xxxxxxxx client-secret-xxxxxxxx')).toBe(
			'x *** ***',
		);
	});

	test('other bodies get `auth` in the query string', async () => {
		const { session: s } = session(newStore());
		const signed = await s.sign('upload', {
			url: 'disk.file.upload.json',
			body: Buffer.from('x') as never,
			headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
		});
		expect(signed.request.qs).toEqual({ auth: 'access-token-1-xxxxxxxx' });
		expect(signed.request.body).toEqual(Buffer.from('x'));
	});

	test('absolute links Bitrix24 handed out are sent as they are', async () => {
		const { session: s } = session(newStore());
		const request = {
			url: 'https://portal.example.com/rest/upload.json?auth=x&token=y',
			body: Buffer.from('x') as never,
		};
		expect((await s.sign('upload', request)).request).toBe(request);
	});

	test("without client_endpoint the REST base is the portal's /rest/", async () => {
		const store = newStore();
		store.data.oauthTokenData = { access_token: 'access-token-1-xxxxxxxx', refresh_token: 'r' };
		const { session: s } = session(store);
		expect(
			(await s.sign('profile', { url: 'profile.json', body: {}, json: true })).request.baseURL,
		).toBe('https://portal.example.com/rest/');
	});

	test('a portal that moved: client_endpoint also becomes the portal for limits and links', () => {
		const store = newStore();
		store.data.oauthTokenData = tokenData(1, 'https://new-name.bitrix24.com/rest/');
		expect(connectionFromCredentials('oAuth2', store.data)).toMatchObject({
			portalUrl: 'https://new-name.bitrix24.com',
			baseURL: 'https://new-name.bitrix24.com/rest/',
		});
	});
});

describe('refresh', () => {
	test('concurrent refreshes of one credential are coalesced into one', async () => {
		const store = newStore();
		const executions = [session(store), session(store), session(store)];
		await Promise.all(
			executions.map(({ session: s }) =>
				s.refresh('telephony.externalcall.register', 'access-token-1-xxxxxxxx'),
			),
		);
		expect(store.refreshes).toBe(1);
		expect(
			executions
				.map(({ ctx }) => ctx.helpers.refreshOAuth2Token.mock.calls.length)
				.reduce((a, b) => a + b),
		).toBe(1);
		expect((store.data.oauthTokenData as Record<string, string>).access_token).toBe(
			'access-token-2-xxxxxxxx',
		);
	});

	test('a token another execution already renewed is adopted without refreshing', async () => {
		const store = newStore();
		store.data.oauthTokenData = tokenData(5);
		const { session: s, ctx } = session(store);
		await s.refresh('telephony.externalcall.register', 'access-token-4-xxxxxxxx');
		expect(ctx.helpers.refreshOAuth2Token).not.toHaveBeenCalled();
	});

	test('a refresh n8n reports as done but that left the old token is a failure', async () => {
		const { session: s } = session(newStore(), 'keeps');
		await expect(
			s.refresh('telephony.externalcall.register', 'access-token-1-xxxxxxxx'),
		).rejects.toMatchObject({
			details: { kind: 'auth', code: 'REFRESH_FAILED' },
		});
	});

	test('invalid_grant from the token server becomes the reconnect guidance', async () => {
		const { session: s } = session(newStore(), 'fails');
		const failure = await s
			.refresh('telephony.externalcall.register', 'access-token-1-xxxxxxxx')
			.catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(Bitrix24Failure);
		expect((failure as Bitrix24Failure).details).toMatchObject({
			kind: 'auth',
			code: 'invalid_grant',
			message:
				'Bitrix24 refused to refresh the access token: reconnect the credential (Bitrix24: invalid_grant "Invalid refresh token")',
		});
	});
});
