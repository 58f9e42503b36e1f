/**
 * Version 1.2 of the action node run through n8n-core's engine against a portal in the
 * documentation's mode (webhooks get WRONG_AUTH_TYPE for register, finish and lines), with both
 * credentials at hand: the node's version alone decides which one a node without an
 * `authentication` value uses. Versions 1 and 1.1 keep the webhook and their fields. (runNode scans
 * every run's output for the credentials' secrets.)
 */
import { restMethods, webhookCredentials } from '../helpers/portal';
import { REGISTER_PARAMETERS } from '../helpers/fixtures';
import { runNode, type NodeRunResult } from '../helpers/workflowRunner';
import { oauthCredentials, useOAuthPortal } from './oauthHarness';

const { portal, current } = useOAuthPortal();

/** A node as the editor saves it: only what the user set, n8n fills in the version's defaults. */
async function run(
	typeVersion: number,
	parameters: Record<string, unknown>,
): Promise<NodeRunResult> {
	return await runNode({
		typeVersion,
		credentials: {
			...webhookCredentials(portal()),
			...oauthCredentials(portal(), { tokens: current.tokens }),
		},
		parameters: parameters as never,
	});
}

describe('the credential a node without an authentication value uses', () => {
	test('1.2: the OAuth2 application, so Register works on a current portal', async () => {
		const result = await run(1.2, { ...REGISTER_PARAMETERS, externalCallId: 'v12-reg-1' });
		expect(result.status).toBe('success');
		expect(portal().requests[0]).toMatchObject({
			restMethod: 'telephony.externalcall.register',
			auth: 'oauth',
			status: 200,
		});
		// Simplify on, as in 1.1.
		expect(result.items[0].json).toMatchObject({
			callId: expect.stringMatching(/^externalCall\./),
			externalCallId: 'v12-reg-1',
		});
	});

	test.each([1, 1.1])(
		'%s: the webhook, as saved workflows had it; the refusal names the Credential field',
		async (version) => {
			const result = await run(version, { ...REGISTER_PARAMETERS, externalCallId: 'old-1' });
			expect(result.status).toBe('error');
			expect(portal().requests[0]).toMatchObject({ auth: 'webhook', status: 403 });
			expect(result.error?.message).toContain('not from an inbound webhook');
			expect(result.error?.description).toContain(
				'choose or create a Bitrix24 OAuth2 API credential in the Credential field',
			);
		},
	);

	test('1.2 set to the webhook uses it (Search CRM Entities, which webhooks may call)', async () => {
		const result = await run(1.2, {
			authentication: 'webhook',
			resource: 'call',
			operation: 'searchCrmEntities',
			phoneNumber: '+4915112345678',
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0]).toMatchObject({ auth: 'webhook', status: 200 });
	});
});

describe('legacy fields: kept by 1 and 1.1, not part of 1.2', () => {
	test('a 1.1 workflow with External Call ID (Legacy) keeps sending it', async () => {
		const result = await run(1.1, {
			authentication: 'oAuth2',
			...REGISTER_PARAMETERS,
			additionalFields: { externalCallId: 'legacy-11' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toMatchObject({ EXTERNAL_CALL_ID: 'legacy-11' });
	});

	test('1.2 does not know the legacy field: n8n drops a value 1.2 never offered', async () => {
		const result = await run(1.2, {
			...REGISTER_PARAMETERS,
			additionalFields: { externalCallId: 'legacy-12' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).not.toHaveProperty('EXTERNAL_CALL_ID');
	});

	test.each([
		[1.1, 'https://records.example.com/a.mp3'],
		[1.2, undefined],
	])('Finish %s with Record URL set sends RECORD_URL %p', async (version, expected) => {
		const registered = await run(1.2, { ...REGISTER_PARAMETERS, externalCallId: `rec-${version}` });
		const callId = String(registered.items[0].json.callId);
		portal().clearRequests();
		const finished = await run(version, {
			authentication: 'oAuth2',
			resource: 'call',
			operation: 'finish',
			callId,
			userIdentification: 'extension',
			userPhoneInner: '101',
			duration: 5,
			statusCode: '200',
			additionalFields: { recordUrl: 'https://records.example.com/a.mp3' },
		});
		expect(finished.status).toBe('success');
		expect(restMethods(portal())).toEqual(['telephony.externalcall.finish']);
		expect(portal().requests[0].params.RECORD_URL).toBe(expected);
	});
});

describe('fields as the editor starts them', () => {
	test('CRM Entity Type added with CRM Entity ID left at its 0: says 0 means none, before any request', async () => {
		const result = await run(1.2, {
			...REGISTER_PARAMETERS,
			additionalFields: { crmEntityType: 'CONTACT', crmEntityId: 0 },
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			"'CRM Entity ID' is not set (0 means none), but CRM Entity Type is CONTACT [item 0]",
		);
		expect(result.error?.description).toContain('only work together: set both');
		expect(result.error?.message).not.toContain('missing');
		expect(portal().requests).toHaveLength(0);
	});

	test("CRM Source as added (its first choice, '') sends no CRM_SOURCE", async () => {
		const result = await run(1.2, {
			...REGISTER_PARAMETERS,
			externalCallId: 'src-1',
			additionalFields: { crmSource: '' },
		});
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).not.toHaveProperty('CRM_SOURCE');
	});
});
