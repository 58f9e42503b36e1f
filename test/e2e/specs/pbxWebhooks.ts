/**
 * The PBX examples in a running `n8n start`: a call starts (Register, reply with CALL_ID), then
 * ends (Finish, recording, missed-call notification), posted to their production webhooks.
 */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import {
	EXAMPLES,
	pbxCallStarted,
	type PbxCallEnded,
	type PbxCallReply,
} from '../../../scripts/n8n-runtime/examples';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, type N8nServer } from '../../../scripts/n8n-runtime/server';
import { RECORDING_SHA256 } from '../fakePbx';
import { EFFECT_TIMEOUT_MS, type E2eContext } from '../fixture';
import { activeCall, finishedCall } from '../portal';

export function describePbxWebhooks(context: () => E2eContext, server: () => N8nServer): void {
	const callStarted = (linkedid: string, from: string, extension: string = SEED.anna.extension) =>
		postToWebhook(server().webhookUrl(EXAMPLES.pbxIncomingCall.webhookPath), {
			...pbxCallStarted({ linkedid, from, extension, line: SEED.line }),
		});
	const callEnded = (call: PbxCallEnded) =>
		postToWebhook(server().webhookUrl(EXAMPLES.pbxCallEnded.webhookPath), { ...call });

	it('example "PBX call started": a known caller is registered and the PBX gets the CALL_ID and the contact', async () => {
		const { sandbox } = context();
		const response = await callStarted('1710140185.100', SEED.acmeContact.phone);
		expect(response.status).toBe(200);
		const reply = response.body as PbxCallReply;
		expect(reply).toMatchObject({
			crmEntityType: 'CONTACT',
			crmEntityId: SEED.acmeContact.id,
			createdLeadId: null,
		});
		expect(activeCall(sandbox, reply.callId)).toMatchObject({
			userId: SEED.anna.id,
			type: 2,
			externalCallId: '1710140185.100',
			portalNumber: SEED.line,
		});
		// Registered by the examples' application (node 1.2, the OAuth2 credential), as a current
		// portal requires.
		const app = sandbox.state.apps.find(
			(candidate) => candidate.clientId === context().oAuth2.clientId,
		);
		expect(app).toBeDefined();
		expect(activeCall(sandbox, reply.callId)).toMatchObject({ restAppId: app?.id });
	});

	it('example "PBX call started": an unknown caller becomes a lead', async () => {
		const { sandbox } = context();
		const response = await callStarted('1710140185.101', '+4917655509876', SEED.boris.extension);
		expect(response.status).toBe(200);
		const reply = response.body as PbxCallReply;
		expect(reply.createdLeadId).toEqual(expect.any(Number));
		expect(reply).toMatchObject({ crmEntityType: 'LEAD', crmEntityId: reply.createdLeadId });
		expect(sandbox.state.leads.find((lead) => lead.id === reply.createdLeadId)).toMatchObject({
			createdByCallId: reply.callId,
		});
	});

	it('example "PBX call started": a Bitrix24 error is answered with HTTP 502 and the reason', async () => {
		const { sandbox } = context();
		const response = await callStarted('1710140185.102', SEED.acmeContact.phone, '999');
		expect(response.status).toBe(502);
		expect((response.body as { error: string }).error).toMatch(/employee/i);
		expect(sandbox.state.activeCalls.some((call) => call.externalCallId === '1710140185.102')).toBe(
			false,
		);
	});

	it('example "PBX call ended": an answered call is finished and its recording attached, without a notification', async () => {
		const { sandbox, pbx } = context();
		const started = (await callStarted('1710140185.103', SEED.acmeContact.phone))
			.body as PbxCallReply;
		const response = await callEnded({
			bitrixCallId: started.callId,
			exten: SEED.anna.extension,
			billsec: 42,
			disposition: 'ANSWERED',
			recordingUrl: pbx.recordingUrl('1710140185.103.mp3'),
		});
		expect(response.status).toBe(200);

		const record = await waitFor(
			'the recording to be attached',
			() => sandbox.state.records.find((r) => r.callId === started.callId),
			EFFECT_TIMEOUT_MS,
		);
		expect(record.fileName).toBe(`${started.callId} 1710140185.103.mp3`);
		expect(sandbox.state.uploads.find((file) => file.id === record.fileId)?.sha256).toBe(
			RECORDING_SHA256,
		);
		expect(finishedCall(sandbox, started.callId)).toMatchObject({
			duration: 42,
			statusCode: '200',
			missed: false,
			portalUserId: SEED.anna.id,
		});
		expect(pbx.notifications).toEqual([]);
	});

	it('example "PBX call ended": a missed call is finished as missed and the team is notified', async () => {
		const { sandbox, pbx } = context();
		const started = (await callStarted('1710140185.104', SEED.acmeContact.phone))
			.body as PbxCallReply;
		const downloadsBefore = pbx.recordingDownloads.length;
		const response = await callEnded({
			bitrixCallId: started.callId,
			exten: SEED.anna.extension,
			billsec: 0,
			disposition: 'NO ANSWER',
			recordingUrl: '',
		});
		expect(response.status).toBe(200);

		const notification = await waitFor(
			'the missed-call notification',
			() => pbx.notifications[0],
			EFFECT_TIMEOUT_MS,
		);
		expect(notification.text).toEqual(expect.stringContaining('Missed call from'));
		expect(notification.text).toEqual(
			expect.stringContaining(`/crm/contact/details/${SEED.acmeContact.id}/`),
		);
		expect(finishedCall(sandbox, started.callId)).toMatchObject({
			duration: 0,
			statusCode: '304',
			missed: true,
		});
		expect(pbx.recordingDownloads).toHaveLength(downloadsBefore);
		expect(sandbox.state.records.some((r) => r.callId === started.callId)).toBe(false);
	});
}
