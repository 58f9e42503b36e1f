/**
 * The Call Ended event (ONVOXIMPLANTCALLEND, version 1.1): a PBX call registered and finished
 * through the action node against the sandbox, the event Bitrix24 then sends, and the trigger's
 * output with and without "Fetch Call Record" (voximplant.statistic.get, really sent to the
 * sandbox). The outbound webhook reads the history through an inbound-webhook credential.
 */
import { callSteps } from '../helpers/callSteps';
import { restMethods, webhookCredentials } from '../helpers/portal';
import { callEndBody } from './callEndEvent';
import {
	expectNoSecrets,
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
	visibleText,
} from './environment';

const { portal, n8n } = useTriggerEnvironment();

function callEndTrigger(fetchCallRecord: boolean, webhookUrl = portal().webhookUrl) {
	return triggerWorkflow(n8n(), {
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
		const callId = await finishedCall();
		const workflow = callEndTrigger(false);
		portal().clearRequests();
		const answer = await n8n().post(
			workflow.webhookUrl(),
			await callEndBody(portal(), callId, OUTBOUND_TOKEN),
		);
		expect(JSON.parse(answer.body)).toEqual({ status: 'accepted', event: 'ONVOXIMPLANTCALLEND' });
		const [item] = await workflow.triggerItems();
		expect(item.json).toMatchObject({
			event: 'ONVOXIMPLANTCALLEND',
			data: { CALL_ID: callId, CALL_DURATION: '42', CALL_FAILED_CODE: '200', CALL_TYPE: '2' },
			call: { CALL_ID: callId, CALL_DURATION: 42, CALL_FAILED_CODE: '200', CALL_TYPE: 2 },
		});
		expect(item.json).not.toHaveProperty('record');
		// Only the history read of callEndBody itself; the trigger sent nothing.
		expect(restMethods(portal())).toEqual(['voximplant.statistic.get']);
	});

	test('with "Fetch Call Record": the history row, typed, with the CRM link', async () => {
		const callId = await finishedCall();
		const workflow = callEndTrigger(true);
		const body = await callEndBody(portal(), callId, OUTBOUND_TOKEN);
		portal().clearRequests();
		const answer = await n8n().post(workflow.webhookUrl(), body);
		// Bitrix24 is answered before the lookup (it calls slow handlers less often).
		expect(answer.status).toBe(200);
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
		const callId = await finishedCall();
		const wrongCode = 'wrongcode0000000000000';
		const workflow = callEndTrigger(true, `${portal().url}/rest/1/${wrongCode}/`);
		await n8n().post(workflow.webhookUrl(), await callEndBody(portal(), callId, OUTBOUND_TOKEN));
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
		const callId = await finishedCall();
		const workflow = callEndTrigger(true);
		const body = await callEndBody(portal(), callId, 'forged-token-0000000000000000000');
		portal().clearRequests();
		expect((await n8n().post(workflow.webhookUrl(), body)).status).toBe(401);
		expect(await workflow.runs()).toHaveLength(0);
		expect(restMethods(portal())).toEqual([]);
	});
});
