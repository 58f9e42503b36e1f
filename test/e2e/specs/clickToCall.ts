/**
 * The trigger in a running `n8n start`, through examples/click-to-call.json, as on a current
 * portal: the trigger (version 1.1, the OAuth2 application) binds ONEXTERNALCALLSTART to its
 * production URL when n8n activates it; the sandbox portal delivers a real click (form-encoded,
 * as Bitrix24 sends it) to the application's handler; the execution originates on the PBX and
 * finishes the call. A forged event is refused.
 */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES, triggerWebhookPath } from '../../../scripts/n8n-runtime/examples';
import { readExecutions } from '../../../scripts/n8n-runtime/executions';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, type N8nServer } from '../../../scripts/n8n-runtime/server';
import { ORIGINATE_RESULT } from '../fakePbx';
import { EFFECT_TIMEOUT_MS, type E2eContext } from '../fixture';
import { finishedCall } from '../portal';

export function describeClickToCall(context: () => E2eContext, server: () => N8nServer): void {
	it('example "click-to-call": a Bitrix24 event starts one execution that originates and finishes the call; a forged one starts none', async () => {
		const { sandbox, pbx, home, examples, oAuth2 } = context();
		const url = server().webhookUrl(
			triggerWebhookPath(examples.clickToCall, EXAMPLES.clickToCall.triggerNode),
		);

		// Forged: the portal's format, a wrong application token. Sent first, so that the genuine
		// event's finished execution proves n8n had every chance to run the forged one.
		const forged = sandbox.events.buildBody({
			event: 'ONEXTERNALCALLSTART',
			data: {
				CALL_ID: 'externalCall.forged',
				USER_ID: SEED.anna.id,
				PHONE_NUMBER: '+4915199999999',
			},
			auth: {
				domain: 'evil.example',
				member_id: sandbox.state.memberId,
				application_token: 'not-the-token',
			},
		});
		expect((await postToWebhook(url, forged)).status).toBe(401);

		// Activation subscribed the node itself (event.bind, with the application's credential).
		const handler = await waitFor(
			'the trigger to bind ONEXTERNALCALLSTART',
			() =>
				sandbox.state.eventHandlers.find(
					(candidate) => candidate.event === 'ONEXTERNALCALLSTART' && candidate.handler === url,
				),
			EFFECT_TIMEOUT_MS,
		);
		expect(handler).toMatchObject({ kind: 'app' });
		// The application is the default for outgoing calls: the click goes out on its line.
		const { callId, deliveries } = await sandbox.events.clickToCall({
			userId: SEED.boris.id,
			phoneNumber: SEED.acmeContact.phone,
			clientId: oAuth2.clientId,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);

		const finished = await waitFor(
			'the click-to-call to be finished',
			() => finishedCall(sandbox, callId),
			EFFECT_TIMEOUT_MS,
		);
		expect(finished).toMatchObject({
			portalUserId: SEED.boris.id,
			duration: ORIGINATE_RESULT.billsec,
			statusCode: '200',
		});
		expect(pbx.originates).toEqual([
			expect.objectContaining({
				bitrixCallId: callId,
				bitrixUserId: String(SEED.boris.id),
				number: SEED.acmeContact.phone,
			}),
		]);

		const executions = await waitFor(
			'the execution to be stored as finished',
			async () => {
				const stored = await readExecutions(home, EXAMPLES.clickToCall.id);
				return stored.length > 0 && stored.every((execution) => execution.finished)
					? stored
					: undefined;
			},
			EFFECT_TIMEOUT_MS,
		);
		expect(executions).toHaveLength(1);
		expect(executions[0]).toMatchObject({ status: 'success', mode: 'webhook' });
		const [event] =
			executions[0].data?.resultData.runData[EXAMPLES.clickToCall.triggerNode][0].data?.main[0] ??
			[];
		expect(event.json).toMatchObject({
			event: 'ONEXTERNALCALLSTART',
			data: expect.objectContaining({ CALL_ID: callId }),
		});
		// The trigger strips every token from what it hands to the workflow.
		const output = JSON.stringify(event.json);
		expect(output).not.toContain(oAuth2.applicationToken);
		expect(output).not.toMatch(/access_token|refresh_token/);
	});
}
