/**
 * The Call Ended event (ONVOXIMPLANTCALLEND, version 1.1): a PBX call registered and finished
 * through the action node against the sandbox, which then sends the event to the trigger
 * (sandbox rows for OnVoximplantCallInit/End), and the trigger's output with and without
 * "Fetch Call Record" (voximplant.statistic.get, really sent to the sandbox). The outbound
 * webhook reads the history through an inbound-webhook credential; the application binds the
 * event itself and reads with its own credential. Hand-built bodies (callEndEvent.ts) only for
 * what a portal would not send: a forged token, a call the history lacks.
 */
import { callSteps } from '../helpers/callSteps';
import { restMethods, webhookCredentials } from '../helpers/portal';
import { callEndBody } from './callEndEvent';
import {
	APP,
	connectApp,
	expectNoSecrets,
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

function callEndTrigger(fetchCallRecord: boolean, webhookUrl = portal().webhookUrl) {
	const workflow = triggerWorkflow(n8n(), {
		typeVersion: 1.1,
		parameters: {
			authentication: 'outboundWebhook',
			events: ['ONVOXIMPLANTCALLEND'],
			fetchCallRecord,
		},
		credentials: {
			...outboundCredentials(),
			...(fetchCallRecord ? webhookCredentials(portal(), webhookUrl) : {}),
		},
	});
	// The outbound webhook the user creates in Bitrix24 for this event and this URL.
	portal().events.addOutboundWebhook({
		url: workflow.webhookUrl(),
		events: ['ONVOXIMPLANTCALLEND'],
		applicationToken: OUTBOUND_TOKEN,
	});
	return workflow;
}

/** A PBX call logged through the action node: registered for a CRM contact, answered, 42 s. */
async function finishedCall(): Promise<string> {
	const steps = callSteps(portal);
	const callId = await steps.register({
		phoneNumber: '+4915112345678',
		type: 2,
		additionalFields: { crmEntityType: 'CONTACT', crmEntityId: 797, externalCallId: 'pbx-1' },
	});
	const finish = await steps.finish(callId, { duration: 42, statusCode: '200' });
	if (finish.status !== 'success') throw new Error(`finish failed: ${finish.error?.message}`);
	return callId;
}

describe('Call Ended (ONVOXIMPLANTCALLEND)', () => {
	test('without the record: the event as sent, typed, and no REST request', async () => {
		const workflow = callEndTrigger(false);
		const callId = await finishedCall();
		portal().clearRequests();
		const deliveries = await portal().events.settled();
		expect(deliveries.map((d) => [d.url, d.status, JSON.parse(d.body)])).toEqual([
			[workflow.webhookUrl(), 200, { status: 'accepted', event: 'ONVOXIMPLANTCALLEND' }],
		]);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONVOXIMPLANTCALLEND',
			data: { CALL_ID: callId, CALL_DURATION: '42', CALL_FAILED_CODE: '200', CALL_TYPE: '2' },
			call: { CALL_ID: callId, CALL_DURATION: 42, CALL_FAILED_CODE: '200', CALL_TYPE: 2 },
		});
		expect(item.json).not.toHaveProperty('record');
		expect(restMethods(portal())).toEqual([]);
	});

	test('with "Fetch Call Record": the history row, typed, with the CRM link', async () => {
		const workflow = callEndTrigger(true);
		const callId = await finishedCall();
		portal().clearRequests();
		const deliveries = await portal().events.settled();
		// Bitrix24 is answered before the lookup (it calls slow handlers less often).
		expect(deliveries.map((d) => d.status)).toEqual([200]);
		const [item] = await workflow.triggerItems();
		const lookups = portal().requests.filter((r) => r.restMethod === 'voximplant.statistic.get');
		expect(lookups).toHaveLength(1);
		expect(lookups[0].params).toMatchObject({ FILTER: { CALL_ID: callId } });
		expect(item.json.record).toMatchObject({
			CALL_ID: callId,
			EXTERNAL_CALL_ID: 'pbx-1',
			CALL_DURATION: 42,
			CALL_FAILED_CODE: '200',
			CALL_TYPE: 2,
			CRM_ENTITY_TYPE: 'CONTACT',
			CRM_ENTITY_ID: 797,
			COST: expect.any(Number),
			crmEntityUrl: `${portal().url}/crm/contact/details/797/`,
		});
		expect(item.json).not.toHaveProperty('recordError');
		expectNoSecrets(await visibleText(workflow), [OUTBOUND_TOKEN, portal().webhookCode]);
	});

	test('a failed lookup keeps the event: record null and the reason, without the webhook code', async () => {
		const wrongCode = 'wrongcode0000000000000';
		const workflow = callEndTrigger(true, `${portal().url}/rest/1/${wrongCode}/`);
		await finishedCall();
		await portal().events.settled();
		const items = await workflow.triggerItems();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			event: 'ONVOXIMPLANTCALLEND',
			record: null,
			recordError: expect.any(String),
		});
		expectNoSecrets(await visibleText(workflow), [OUTBOUND_TOKEN, wrongCode]);
	});

	test('a call the history does not hold: record null, said so', async () => {
		const workflow = callEndTrigger(true);
		const body = portal().events.buildBody({
			event: 'ONVOXIMPLANTCALLEND',
			data: { CALL_ID: 'externalCall.unknown.1', CALL_DURATION: '0', CALL_FAILED_CODE: '304' },
			auth: { member_id: portal().state.memberId, application_token: OUTBOUND_TOKEN },
		});
		await n8n().post(workflow.webhookUrl(), body);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			record: null,
			recordError: 'The call history has no call externalCall.unknown.1 (yet)',
			call: { CALL_FAILED_CODE: '304', CALL_DURATION: 0 },
		});
	});

	test('a forged call-ended event is refused with 401 and fetches nothing', async () => {
		const workflow = callEndTrigger(true);
		const callId = await finishedCall();
		await portal().events.settled();
		const runsBefore = (await workflow.runs()).length;
		const body = await callEndBody(portal(), callId, 'forged-token-0000000000000000000');
		portal().clearRequests();
		portal().clearRequests();
		expect((await n8n().post(workflow.webhookUrl(), body)).status).toBe(401);
		expect(await workflow.runs()).toHaveLength(runsBefore);
		expect(restMethods(portal())).toEqual([]);
	});
});

describe('Call events through the application (event.bind)', () => {
	test('Call Ended bound by the application; the record read with its own credential', async () => {
		const { credentials, tokens } = connectApp(portal());
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { events: ['ONVOXIMPLANTCALLEND'], fetchCallRecord: true },
			credentials,
		});
		await workflow.activate();
		expect(portal().state.eventHandlers.map((h) => [h.event, h.kind])).toEqual([
			['ONVOXIMPLANTCALLEND', 'app'],
		]);
		const callId = await finishedCall();
		portal().clearRequests();
		expect((await portal().events.settled()).map((d) => d.status)).toEqual([200]);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONVOXIMPLANTCALLEND',
			call: { CALL_ID: callId, CALL_DURATION: 42 },
			record: { CALL_ID: callId, CALL_DURATION: 42, crmEntityUrl: expect.any(String) },
		});
		expect(
			portal()
				.requests.filter((r) => r.restMethod === 'voximplant.statistic.get')
				.map((r) => r.auth),
		).toEqual(['oauth']);
		expectNoSecrets(await visibleText(workflow), [
			APP.applicationToken,
			tokens.access_token,
			tokens.refresh_token,
			APP.clientSecret,
		]);
	});

	test('Call Initialized on Register, typed', async () => {
		const { credentials } = connectApp(portal());
		const workflow = triggerWorkflow(n8n(), {
			typeVersion: 1.1,
			parameters: { events: ['ONVOXIMPLANTCALLINIT'] },
			credentials,
		});
		await workflow.activate();
		const callId = await callSteps(portal).register({ type: 2 });
		expect((await portal().events.settled()).map((d) => d.status)).toEqual([200]);
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONVOXIMPLANTCALLINIT',
			data: { CALL_ID: callId, CALL_TYPE: '2' },
			call: { CALL_ID: callId, CALL_TYPE: 2 },
		});
	});
});
