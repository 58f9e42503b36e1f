/**
 * The call-ended event and the poll trigger in a running `n8n start` (trigger version 1.1 and
 * the Bitrix24 Telephony Poll Trigger, as saved workflows of this suite). The sandbox sends the
 * real ONVOXIMPLANTCALLEND after a PBX call is finished over REST; the poll trigger reads the
 * call history on its schedule. Its own workflows and its own n8n server (after the shared
 * one stopped), so the shared harness only calls `describeCallTriggers`.
 */
import { randomUUID } from 'crypto';

import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { exampleCredentialReference } from '../../../scripts/n8n-runtime/examples';
import { readExecutions } from '../../../scripts/n8n-runtime/executions';
import type { WorkflowFile } from '../../../scripts/n8n-runtime/home';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, startN8nServer, type N8nServer } from '../../../scripts/n8n-runtime/server';
import type { Sandbox } from '../../../sandbox';
import { APPLICATION_TOKEN, EFFECT_TIMEOUT_MS, type E2eContext } from '../fixture';

const PACKAGE = 'n8n-nodes-bitrix24-telephony';
const webhookCredential = exampleCredentialReference('webhook');

const CALL_ENDED_WEBHOOK_ID = randomUUID();
const callEndedWorkflow: WorkflowFile = {
	id: 'b24e2eCallEnded1',
	name: 'e2e: call ended, with its record',
	nodes: [
		{
			id: 'b24e2eCallEnded1-trigger',
			name: 'Call ended',
			type: `${PACKAGE}.bitrix24TelephonyTrigger`,
			typeVersion: 1.1,
			position: [0, 0],
			webhookId: CALL_ENDED_WEBHOOK_ID,
			parameters: {
				authentication: 'outboundWebhook',
				events: ['ONVOXIMPLANTCALLEND'],
				fetchCallRecord: true,
			},
			credentials: {
				...exampleCredentialReference('outboundWebhook'),
				...webhookCredential,
			},
		},
	],
	connections: {},
	active: false,
	settings: { executionOrder: 'v1' },
};

/** n8n refuses poll schedules under a minute (`isSubMinuteCron`), so the test waits in minutes. */
const POLL_WAIT_MS = 150000;

const pollWorkflow: WorkflowFile = {
	id: 'b24e2ePollMissed',
	name: 'e2e: poll for missed calls',
	nodes: [
		{
			id: 'b24e2ePollMissed-trigger',
			name: 'Missed calls',
			type: `${PACKAGE}.bitrix24TelephonyPollTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: 'webhook',
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				filters: { statusCodes: ['304'] },
			},
			credentials: webhookCredential,
		},
	],
	connections: {},
	active: false,
	settings: { executionOrder: 'v1' },
};

/** A PBX call logged over REST (inbound webhook): register, then finish with `statusCode`. */
async function logCall(sandbox: Sandbox, statusCode: string, duration: number): Promise<string> {
	const call = async (method: string, params: Record<string, unknown>) => {
		const response = await fetch(`${sandbox.webhookUrl}${method}.json`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify(params),
		});
		return ((await response.json()) as { result: Record<string, unknown> }).result;
	};
	const { CALL_ID } = await call('telephony.externalcall.register', {
		USER_PHONE_INNER: SEED.anna.extension,
		PHONE_NUMBER: SEED.acmeContact.phone,
		TYPE: 2,
	});
	await call('telephony.externalcall.finish', {
		CALL_ID,
		USER_PHONE_INNER: SEED.anna.extension,
		DURATION: duration,
		STATUS_CODE: statusCode,
	});
	return String(CALL_ID);
}

function triggerItems(
	execution: { data: unknown },
	node: string,
): Array<{ json: Record<string, unknown> }> {
	const data = execution.data as {
		resultData: {
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>
			>;
		};
	} | null;
	return data?.resultData.runData[node]?.[0]?.data?.main[0] ?? [];
}

export function describeCallTriggers(context: () => E2eContext): void {
	describe('n8n start: call ended and poll triggers', () => {
		let server: N8nServer | undefined;
		// Kept as a promise so that afterAll stops a server whose start outlived its hook's timeout.
		let starting: Promise<N8nServer> | undefined;
		beforeAll(async () => {
			const { home } = context();
			await home.importWorkflows([callEndedWorkflow, pollWorkflow]);
			await home.publishWorkflow(callEndedWorkflow.id);
			await home.publishWorkflow(pollWorkflow.id);
		}, 600000);
		beforeAll(async () => {
			starting = startN8nServer(context().home);
			server = await starting;
		}, 600000);
		afterAll(async () => {
			await starting?.then((started) => started.stop()).catch(() => undefined);
			// The handler of this block's outbound webhook must not outlive its server.
			const { state } = context().sandbox;
			state.eventHandlers = state.eventHandlers.filter(
				(handler) => !handler.handler.includes(CALL_ENDED_WEBHOOK_ID),
			);
		}, 60000);

		it("Call Ended: the portal's event after Finish starts one execution with the typed call and its record", async () => {
			const { sandbox, home } = context();
			const url = server!.webhookUrl(`${CALL_ENDED_WEBHOOK_ID}/webhook`);
			// Registered yet? A forged event gets 401 once n8n serves the URL.
			const forged = sandbox.events.buildBody({
				event: 'ONVOXIMPLANTCALLEND',
				data: { CALL_ID: 'externalCall.forged' },
				auth: { application_token: 'not-the-token' },
			});
			expect((await postToWebhook(url, forged)).status).toBe(401);

			sandbox.events.addOutboundWebhook({
				url,
				events: ['ONVOXIMPLANTCALLEND'],
				applicationToken: APPLICATION_TOKEN,
			});
			const callId = await logCall(sandbox, '200', 42);
			const deliveries = (await sandbox.events.settled()).filter((d) => d.url === url);
			expect(deliveries.map((d) => [d.status, JSON.parse(d.body)])).toEqual([
				[200, { status: 'accepted', event: 'ONVOXIMPLANTCALLEND' }],
			]);

			const [execution] = await waitFor(
				'the call-ended execution to be stored as finished',
				async () => {
					const stored = await readExecutions(home, callEndedWorkflow.id);
					return stored.length > 0 && stored.every((e) => e.finished) ? stored : undefined;
				},
				EFFECT_TIMEOUT_MS,
			);
			expect(execution).toMatchObject({ status: 'success', mode: 'webhook' });
			const [item] = triggerItems(execution, 'Call ended');
			expect(item.json).toMatchObject({
				event: 'ONVOXIMPLANTCALLEND',
				data: { CALL_ID: callId, CALL_DURATION: '42' },
				call: { CALL_ID: callId, CALL_DURATION: 42, CALL_FAILED_CODE: '200' },
				record: {
					CALL_ID: callId,
					CALL_DURATION: 42,
					crmEntityUrl: `${sandbox.url}/crm/contact/details/797/`,
				},
			});
			expect(JSON.stringify(execution)).not.toContain(APPLICATION_TOKEN);
			expect(JSON.stringify(execution)).not.toContain(sandbox.webhookCode);
		});

		it('Poll Trigger: a missed call after activation starts one execution, once; answered calls none', async () => {
			const { sandbox, home } = context();
			const polls = () =>
				sandbox.requests.filter((r) => r.restMethod === 'voximplant.statistic.get');
			const cursorPolls = () =>
				polls().filter((r) => JSON.stringify(r.params).includes('">ID"')).length;
			// Wait until a scheduled poll reads after a cursor: where the history stood is stored.
			// (n8n 2.41 keeps nothing from the activation's trial poll, so that may be the second.)
			await waitFor(
				'a poll after the cursor',
				async () => (cursorPolls() > 0 ? true : undefined),
				POLL_WAIT_MS,
			);
			const missed = await logCall(sandbox, '304', 0);
			await logCall(sandbox, '200', 30);

			const [execution] = await waitFor(
				'the poll execution to be stored as finished',
				async () => {
					const stored = await readExecutions(home, pollWorkflow.id);
					return stored.length > 0 && stored.every((e) => e.finished) ? stored : undefined;
				},
				POLL_WAIT_MS,
			);
			expect(execution).toMatchObject({ status: 'success', mode: 'trigger' });
			expect(
				triggerItems(execution, 'Missed calls').map((i) => [
					i.json.CALL_ID,
					i.json.CALL_FAILED_CODE,
				]),
			).toEqual([[missed, '304']]);

			// One more poll later, still one execution: the call is not emitted again.
			const after = cursorPolls();
			await waitFor(
				'one more poll',
				async () => (cursorPolls() > after ? true : undefined),
				POLL_WAIT_MS,
			);
			expect(await readExecutions(home, pollWorkflow.id)).toHaveLength(1);
		}, 480000);
	});
}
