/**
 * The whole click-to-call: an employee clicks a number in Bitrix24 (sandbox), Bitrix24 registers
 * the call and posts ONEXTERNALCALLSTART to n8n, the trigger starts the workflow, the PBX
 * stand-in dials and reports the end of the call, and the action node finishes that CALL_ID.
 * Register is never called by the workflow (docs/bitrix24-fidelity.md row 27).
 */
import type { INodeCredentials, INodeExecutionData, IRun } from 'n8n-workflow';

import { restMethods } from '../helpers/portal';
import { ACTION_TYPE, PbxStandIn, PBX_TYPE } from '../helpers/webhookRunner';
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

function finishNode(authentication: 'webhook' | 'oAuth2') {
	const credentials: INodeCredentials =
		authentication === 'oAuth2'
			? { bitrix24OAuth2Api: { id: 'cred-bitrix24OAuth2Api', name: 'oauth' } }
			: { bitrix24WebhookApi: { id: 'cred-bitrix24WebhookApi', name: 'webhook' } };
	return {
		name: 'Finish',
		type: ACTION_TYPE,
		parameters: {
			authentication,
			resource: 'call',
			operation: 'finish',
			callId: '={{ $json.callId }}',
			userIdentification: 'userId',
			userId: { __rl: true, mode: 'id', value: '={{ $json.userId }}' },
			duration: '={{ $json.duration }}',
			statusCode: '200',
		},
		credentials,
	};
}

const PBX = { name: 'PBX', type: PBX_TYPE, parameters: { talkSeconds: 42 } };

function outputOf(run: IRun, node: string): INodeExecutionData[] {
	return (run.data.resultData.runData[node]?.[0]?.data?.main?.[0] ?? []) as INodeExecutionData[];
}

describe('click-to-call → trigger → PBX → Finish of that CALL_ID', () => {
	test('outbound webhook trigger, inbound webhook action node', async () => {
		const workflow = triggerWorkflow(n8n(), {
			parameters: { authentication: 'outboundWebhook', events: ['ONEXTERNALCALLSTART'] },
			credentials: {
				...outboundCredentials(),
				bitrix24WebhookApi: { webhookUrl: portal().webhookUrl },
			},
			chain: [PBX, finishNode('webhook')],
		});
		portal().events.addOutboundWebhook({
			url: workflow.webhookUrl(),
			events: ['ONEXTERNALCALLSTART'],
			applicationToken: OUTBOUND_TOKEN,
		});
		portal().clearRequests();

		// Bitrix24 may deliver the event twice: the PBX must dial once.
		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 2,
			phoneNumber: '+4915112345678',
			crmEntityType: 'CONTACT',
			crmEntityId: 797,
			duplicate: true,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200, 200]);
		const runs = await workflow.runs();
		expect(runs).toHaveLength(1);
		const [run] = runs;
		expect(run.status).toBe('success');

		expect(PbxStandIn.dialled).toEqual([{ callId, userId: '2', phoneNumber: '+4915112345678' }]);
		expect(outputOf(run, 'Finish')[0].json).toMatchObject({
			CALL_ID: callId,
			CALL_DURATION: 42,
			CALL_FAILED_CODE: '200',
			PORTAL_USER_ID: 2,
		});
		expect(restMethods(portal())).toEqual(['telephony.externalcall.finish']);
		expect(portal().requests[0].params).toMatchObject({
			CALL_ID: callId,
			USER_ID: 2,
			DURATION: 42,
			STATUS_CODE: '200',
		});
		expect(portal().state.statistics.find((call) => call.callId === callId)).toMatchObject({
			duration: 42,
			statusCode: '200',
			portalUserId: 2,
		});
		expect(portal().state.activeCalls.find((call) => call.callId === callId)).toBeUndefined();

		expectNoSecrets(
			await visibleText(
				workflow,
				deliveries.map((delivery) => delivery.body),
			),
			[OUTBOUND_TOKEN, portal().webhookCode],
		);
	});

	test("OAuth2 trigger (bound by activation) and OAuth2 action node, on the application's line", async () => {
		const { tokens, credentials } = connectApp(portal());
		const workflow = triggerWorkflow(n8n(), {
			parameters: { authentication: 'oAuth2', events: ['ONEXTERNALCALLSTART'] },
			credentials,
			chain: [PBX, finishNode('oAuth2')],
		});
		await workflow.activate();
		portal().clearRequests();

		const { callId, deliveries } = await portal().events.clickToCall({
			userId: 3,
			phoneNumber: '+12025550123',
			clientId: APP.clientId,
		});
		expect(deliveries.map((delivery) => delivery.status)).toEqual([200]);
		const [run] = await workflow.runs();
		expect(run.status).toBe('success');
		expect(PbxStandIn.dialled).toEqual([{ callId, userId: '3', phoneNumber: '+12025550123' }]);
		expect(restMethods(portal())).toEqual(['telephony.externalcall.finish']);
		expect(portal().requests[0].auth).toBe('oauth');
		expect(outputOf(run, 'Finish')[0].json).toMatchObject({
			CALL_ID: callId,
			REST_APP_ID: String(portal().state.apps[0].id),
		});
		expect(portal().state.statistics.find((call) => call.callId === callId)).toMatchObject({
			duration: 42,
			statusCode: '200',
		});

		const eventAccessToken = new URLSearchParams(deliveries[0].payload).get(
			'auth[access_token]',
		) as string;
		expectNoSecrets(await visibleText(workflow), [
			eventAccessToken,
			tokens.access_token,
			tokens.refresh_token,
			APP.applicationToken,
			APP.clientSecret,
		]);
		await workflow.deactivate();
		expect(portal().state.eventHandlers).toEqual([]);
	});
});
