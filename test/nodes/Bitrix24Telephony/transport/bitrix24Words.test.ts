/**
 * Bitrix24's own words reach the user: every error Bitrix24 answered carries its code (when not
 * empty) and its error_description verbatim in the message, next to our explanation, in single
 * requests, in batches and in Continue On Fail items.
 */
import { startSandbox, type Sandbox } from '../../../../sandbox';
import { callSteps } from '../../../helpers/callSteps';
import { REGISTER_PARAMETERS } from '../../../helpers/fixtures';
import { usePortal, webhookCredentials } from '../../../helpers/portal';
import { runNode } from '../../../helpers/workflowRunner';

const { portal } = usePortal();
const steps = callSteps(portal);

const NO_EMPLOYEE =
	'Bitrix24 found no employee for this call (Bitrix24: "USER_ID or USER_PHONE_INNER should be set")';

beforeEach(() => portal().clearRequests());

/** The error_description the portal put on the wire for the request `index`. */
function wireDescription(index = 0): string {
	return String(
		(portal().requests[index].response as { error_description?: unknown }).error_description,
	);
}

describe('single requests', () => {
	test('register with an unknown extension: empty code, the description verbatim', async () => {
		const result = await steps.run({
			...REGISTER_PARAMETERS,
			userPhoneInner: '999',
			options: { batching: false },
		});
		expect(result.error?.message).toBe(NO_EMPLOYEE);
		expect(result.error?.description).toContain('Internal phone');
	});

	test('ERROR_CORE, as the docs show it, is named with its code', async () => {
		const core: Sandbox = await startSandbox({ seed: 'demo', errorCodeStyle: 'ERROR_CORE' });
		try {
			const result = await runNode({
				credentials: webhookCredentials(core),
				parameters: { ...REGISTER_PARAMETERS, userPhoneInner: '999' } as never,
			});
			expect(result.error?.message).toBe(
				'Bitrix24 found no employee for this call (Bitrix24: ERROR_CORE "USER_ID or USER_PHONE_INNER should be set")',
			);
		} finally {
			await core.close();
		}
	});

	test('finish of a call finished already: the description as Bitrix24 sent it', async () => {
		const callId = await steps.register();
		await steps.finish(callId, { duration: 5, statusCode: '200' });
		portal().clearRequests();
		const again = await steps.finish(callId, { duration: 5, statusCode: '200' });
		const words = wireDescription();
		expect(words).toMatch(/^Call is not found/);
		expect(again.error?.message).toBe(
			`Bitrix24 has no active call with this call ID (Bitrix24: "${words}")`,
		);
	});

	test('attach record before finish: Bitrix24 says why, verbatim', async () => {
		const callId = await steps.register();
		portal().clearRequests();
		const result = await steps.run({
			operation: 'attachRecord',
			callId,
			source: 'url',
			recordUrl: 'https://pbx.example/rec.mp3',
		});
		const words = wireDescription();
		expect(words).not.toBe('undefined');
		expect(result.error?.message).toContain(`(Bitrix24: `);
		expect(result.error?.message).toContain(`"${words}")`);
	});

	test('WRONG_AUTH_TYPE: the message itself says which credential to use', async () => {
		const strict: Sandbox = await startSandbox({ seed: 'demo', authTypeMode: 'doc' });
		try {
			const result = await runNode({
				credentials: webhookCredentials(strict),
				parameters: REGISTER_PARAMETERS as never,
			});
			expect(result.error?.message).toContain('use the Bitrix24 OAuth2 credential');
			expect(result.error?.message).toMatch(/\(Bitrix24: WRONG_AUTH_TYPE ".+"\)$/);
		} finally {
			await strict.close();
		}
	});
});

describe('batches and Continue On Fail', () => {
	test('a failed item of a batch carries the words in json.error; the others go on', async () => {
		const result = await steps.run(
			{ ...REGISTER_PARAMETERS, userPhoneInner: '={{ $json.ext }}' },
			{
				items: [{ ext: '101' }, { ext: '999' }, { ext: '102' }],
				continueOnFail: true,
			},
		);
		expect(portal().requests.map((r) => r.restMethod)).toEqual(['batch']);
		expect(result.items[0].json.CALL_ID).toEqual(expect.any(String));
		expect(result.items[1].json.error).toBe(NO_EMPLOYEE);
		expect(result.items[2].json.CALL_ID).toEqual(expect.any(String));
	});

	test('without Continue On Fail, a batch item stops the run with the same message', async () => {
		const result = await steps.run(
			{ ...REGISTER_PARAMETERS, userPhoneInner: '={{ $json.ext }}' },
			{ items: [{ ext: '101' }, { ext: '999' }] },
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(NO_EMPLOYEE);
	});

	test('WRONG_AUTH_TYPE in a batch: every item says to use OAuth2, in its own words', async () => {
		const strict: Sandbox = await startSandbox({ seed: 'demo', authTypeMode: 'doc' });
		try {
			const result = await runNode({
				credentials: webhookCredentials(strict),
				parameters: REGISTER_PARAMETERS as never,
				items: [{}, {}],
				continueOnFail: true,
			});
			for (const item of result.items) {
				expect(item.json.error).toContain('use the Bitrix24 OAuth2 credential');
				expect(item.json.error).toContain('(Bitrix24: WRONG_AUTH_TYPE "');
			}
		} finally {
			await strict.close();
		}
	});
});
