import { mergedProperties, oauth2Credential, resolveCredentialData } from './oauthHarness';

describe('Bitrix24 OAuth2 API credential', () => {
	test("is the contract's bitrix24OAuth2Api and extends n8n's oAuth2Api", () => {
		expect(oauth2Credential.name).toBe('bitrix24OAuth2Api');
		expect(oauth2Credential.displayName).toBe('Bitrix24 OAuth2 API');
		expect(oauth2Credential.extends).toEqual(['oAuth2Api']);
		expect(oauth2Credential.icon).toEqual({
			light: 'file:bitrix24.svg',
			dark: 'file:bitrix24.dark.svg',
		});
	});

	test("shows the contract's fields; secrets are password fields; the OAuth2 plumbing is hidden", () => {
		const byName = Object.fromEntries(mergedProperties().map((p) => [p.name, p]));
		for (const field of [
			'portalUrl',
			'clientId',
			'clientSecret',
			'oauthServerUrl',
			'applicationToken',
			'plan',
		]) {
			expect(byName[field]?.type).not.toBe('hidden');
		}
		expect(byName.clientSecret.typeOptions?.password).toBe(true);
		expect(byName.applicationToken.typeOptions?.password).toBe(true);
		expect(byName.applicationToken.required).toBeFalsy();
		expect(byName.oauthServerUrl.default).toBe('https://oauth.bitrix.info');
		expect(byName.plan.default).toBe('standard');
		for (const field of [
			'grantType',
			'authUrl',
			'accessTokenUrl',
			'scope',
			'authQueryParameters',
			'authentication',
		]) {
			expect(byName[field].type).toBe('hidden');
		}
		expect(byName.grantType.default).toBe('authorizationCode');
		expect(byName.scope.default).toBe('telephony,crm,user');
		expect(byName.authentication.default).toBe('body');
	});

	test.each([
		['https://example.bitrix24.com', 'https://example.bitrix24.com/oauth/authorize/'],
		['https://example.bitrix24.com/', 'https://example.bitrix24.com/oauth/authorize/'],
		['  example.bitrix24.de  ', 'https://example.bitrix24.de/oauth/authorize/'],
		['https://b24.example.org/crm/deal/?x=1', 'https://b24.example.org/oauth/authorize/'],
		['http://127.0.0.1:8080', 'http://127.0.0.1:8080/oauth/authorize/'],
	])('the authorization URL of portal %j is %s', (portalUrl, expected) => {
		const data = resolveCredentialData({ portalUrl, clientId: 'local.x', clientSecret: 'y' });
		expect(data.authUrl).toBe(expected);
	});

	test.each([
		[undefined, 'https://oauth.bitrix.info/oauth/token/'],
		['https://oauth.bitrix.info/', 'https://oauth.bitrix.info/oauth/token/'],
		['http://127.0.0.1:9999', 'http://127.0.0.1:9999/oauth/token/'],
		['', 'https://oauth.bitrix.info/oauth/token/'],
	])('the token URL of OAuth server %j is %s', (oauthServerUrl, expected) => {
		const data = resolveCredentialData({
			portalUrl: 'https://example.bitrix24.com',
			...(oauthServerUrl === undefined ? {} : { oauthServerUrl }),
		});
		expect(data.accessTokenUrl).toBe(expected);
		expect(data.grantType).toBe('authorizationCode');
		expect(data.authentication).toBe('body');
	});
});
