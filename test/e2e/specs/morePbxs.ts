/**
 * The examples for more PBXs, in real n8n: each posted to its production webhook the way that
 * PBX posts (form-encoded for Asterisk's CURL(), Twilio and Zadarma; JSON for 3CX and the
 * outgoing-call bridge), and the queue flow through `n8n execute`.
 */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES } from '../../../scripts/n8n-runtime/examples';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, type N8nServer } from '../../../scripts/n8n-runtime/server';
import { EFFECT_TIMEOUT_MS, type E2eContext } from '../fixture';
import { activeCall, finishedCall, finishedCallByExternalId, methodsCalled } from '../portal';

const form = (fields: Record<string, string | number>) =>
	new URLSearchParams(
		Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)]),
	).toString();

export function describeQueueCall(context: () => E2eContext): void {
	it('example "queue call": the card is shown to three, hidden from the two who did not answer, the call finished', async () => {
		const { home, sandbox } = context();
		sandbox.clearRequests();
		const result = await home.execute(EXAMPLES.queueCall.id);
		expect(result.code).toBe(0);
		expect(methodsCalled(sandbox.requests)).toEqual([
			'telephony.externalcall.register',
			'telephony.externalcall.show',
			'telephony.externalcall.hide',
			'telephony.externalcall.finish',
		]);
		const call = finishedCallByExternalId(sandbox, '1710150000.200');
		expect(call).toMatchObject({ portalUserId: SEED.anna.id, duration: 65, statusCode: '200' });
		const cards = sandbox.state.cardEvents.filter((event) => event.callId === call?.callId);
		// The last hide is Finish's own: Bitrix24 takes the card away from the one who talked.
		expect(cards.map((event) => [event.action, event.userIds.map(Number)])).toEqual([
			['show', [1, 2, 3]],
			['hide', [2, 3]],
			['hide', [1]],
		]);
	});
}

export function describeMorePbxs(context: () => E2eContext, server: () => N8nServer): void {
	const url = (path: string) => server().webhookUrl(path);

	it('example "outgoing call": an outgoing call dialled on the PBX is registered as TYPE 1 for the employee', async () => {
		const { sandbox } = context();
		const response = await postToWebhook(url(EXAMPLES.pbxOutgoingCall.webhookPath), {
			linkedid: '1710160000.300',
			exten: SEED.chen.extension,
			dialled: SEED.daisyCompany.phone,
			timestamp: new Date().toISOString(),
		});
		expect(response.status).toBe(200);
		const reply = response.body as { callId: string; crmEntityType: string; crmEntityId: number };
		expect(reply).toMatchObject({ crmEntityType: 'COMPANY', crmEntityId: SEED.daisyCompany.id });
		expect(activeCall(sandbox, reply.callId)).toMatchObject({
			userId: SEED.chen.id,
			type: 1,
			externalCallId: '1710160000.300',
		});
	});

	it('example "FreePBX dialplan": CURL() start gets the CALL_ID as text, the hangup handler finishes it', async () => {
		const { sandbox } = context();
		const started = await postToWebhook(
			url(EXAMPLES.freePbxDialplan.startPath),
			form({
				linkedid: '1710170000.400',
				callerid: SEED.acmeContact.phone,
				exten: SEED.anna.extension,
				did: SEED.line,
				direction: 'inbound',
			}),
		);
		expect(started.status).toBe(200);
		const callId = String(started.body);
		expect(callId).toMatch(/^externalCall\./);
		expect(activeCall(sandbox, callId)).toMatchObject({ userId: SEED.anna.id, type: 2 });

		const ended = await postToWebhook(
			url(EXAMPLES.freePbxDialplan.endPath),
			form({ callid: callId, exten: SEED.anna.extension, billsec: 33, disposition: 'ANSWERED' }),
		);
		expect(ended.status).toBe(200);
		expect(finishedCall(sandbox, callId)).toMatchObject({ duration: 33, statusCode: '200' });
	});

	it('example "3CX call journal": a journal entry becomes a finished call with its UTC start', async () => {
		const { sandbox } = context();
		const response = await postToWebhook(url(EXAMPLES.threeCxJournal.webhookPath), {
			number: SEED.acmeContact.phone,
			callType: 'Inbound',
			agent: SEED.boris.extension,
			duration: '00:01:05',
			startUtc: '2026-03-10 08:15:02',
		});
		expect(response.status).toBe(200);
		const call = finishedCallByExternalId(
			sandbox,
			`3cx-${SEED.acmeContact.phone}-2026-03-10 08:15:02`,
		);
		expect(call).toMatchObject({ portalUserId: SEED.boris.id, duration: 65, statusCode: '200' });
		expect(new Date(call!.call.dateCreate).toISOString()).toBe('2026-03-10T08:15:02.000Z');
	});

	it('example "Twilio status callback": a missed inbound call is logged as missed', async () => {
		const { sandbox } = context();
		const response = await postToWebhook(
			url(EXAMPLES.twilioStatusCallback.webhookPath),
			form({
				CallSid: 'CA0123456789abcdef0123456789abcdef',
				From: SEED.acmeContact.phone,
				To: SEED.line,
				Direction: 'inbound',
				CallStatus: 'no-answer',
				CallDuration: 0,
				Timestamp: new Date().toUTCString(),
			}),
		);
		expect(response.status).toBe(200);
		expect(finishedCallByExternalId(sandbox, 'CA0123456789abcdef0123456789abcdef')).toMatchObject({
			portalUserId: SEED.anna.id,
			duration: 0,
			statusCode: '304',
			missed: true,
		});
	});

	it('example "Zadarma": the URL check is echoed, NOTIFY_START pops the card, NOTIFY_END finishes that call', async () => {
		const { sandbox } = context();
		const path = EXAMPLES.zadarmaNotify.webhookPath;
		const echo = await waitFor(
			'the Zadarma URL check',
			async () => {
				const answer = await fetch(`${url(path)}?zd_echo=check123`);
				return answer.status === 200 ? await answer.text() : undefined;
			},
			EFFECT_TIMEOUT_MS,
		);
		expect(echo).toBe('check123');

		const call = {
			call_start: new Date().toISOString().slice(0, 19).replace('T', ' '),
			pbx_call_id: 'in_0123456789abcdef',
			caller_id: SEED.acmeContact.phone,
			called_did: SEED.line,
		};
		expect((await postToWebhook(url(path), form({ event: 'NOTIFY_START', ...call }))).status).toBe(
			200,
		);
		const started = sandbox.state.activeCalls.find((c) => c.externalCallId === call.pbx_call_id);
		expect(started).toMatchObject({ userId: SEED.anna.id, type: 2 });

		const ended = await postToWebhook(
			url(path),
			form({
				event: 'NOTIFY_END',
				...call,
				internal: SEED.anna.extension,
				duration: 21,
				disposition: 'answered',
			}),
		);
		expect(ended.status).toBe(200);
		expect(finishedCall(sandbox, started!.callId)).toMatchObject({
			duration: 21,
			statusCode: '200',
		});
		expect(
			sandbox.state.statistics.filter((c) => c.call.externalCallId === call.pbx_call_id),
		).toHaveLength(1);

		const record = await postToWebhook(
			url(path),
			form({ event: 'NOTIFY_RECORD', pbx_call_id: call.pbx_call_id, call_id_with_rec: 'rec1' }),
		);
		expect(record.status).toBe(200);
	});
}
