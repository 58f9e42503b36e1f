/**
 * The flows users build most, in a running `n8n start`, posted to their production webhooks as
 * the PBX posts them: a missed call told to the client's responsible employee once (even when the
 * PBX posts twice), a transferred call logged per leg, and the PBX asking whose extension a
 * caller belongs to.
 */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES, pbxCallStarted, type PbxCallReply } from '../../../scripts/n8n-runtime/examples';
import { readExecutions } from '../../../scripts/n8n-runtime/executions';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, type N8nServer } from '../../../scripts/n8n-runtime/server';
import { EFFECT_TIMEOUT_MS, MISSED_CALL_FALLBACK_EXTENSION, type E2eContext } from '../fixture';
import { finishedCall, finishedCallByExternalId } from '../portal';

export function describeFlows(context: () => E2eContext, server: () => N8nServer): void {
	const url = (path: string) => server().webhookUrl(path);

	/** A call registered through the "PBX call started" example, ringing at Anna (101). */
	async function ringingCall(linkedid: string, from: string): Promise<string> {
		const response = await postToWebhook(url(EXAMPLES.pbxIncomingCall.webhookPath), {
			...pbxCallStarted({ linkedid, from, extension: SEED.anna.extension, line: SEED.line }),
		});
		expect(response.status).toBe(200);
		return (response.body as PbxCallReply).callId;
	}

	/** Waits until every execution of the workflow so far is finished; returns them. */
	async function settledExecutions(workflowId: string, count: number) {
		return await waitFor(
			`${count} finished executions of ${workflowId}`,
			async () => {
				const stored = await readExecutions(context().home, workflowId);
				return stored.length >= count && stored.every((execution) => execution.finished)
					? stored
					: undefined;
			},
			EFFECT_TIMEOUT_MS,
		);
	}

	it('example "missed call": the responsible employee of the contact is told once, though the PBX posts twice', async () => {
		const { sandbox, pbx } = context();
		const callId = await ringingCall('1710190000.600', SEED.acmeContact.phone);
		const missed = {
			bitrixCallId: callId,
			exten: SEED.anna.extension,
			billsec: 0,
			disposition: 'NO ANSWER',
		};
		const first = await postToWebhook(url(EXAMPLES.missedCallNotify.webhookPath), missed);
		expect(first.status).toBe(200);
		await settledExecutions(EXAMPLES.missedCallNotify.id, 1);
		const second = await postToWebhook(url(EXAMPLES.missedCallNotify.webhookPath), missed);
		expect(second.status).toBe(200);
		const executions = await settledExecutions(EXAMPLES.missedCallNotify.id, 2);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);

		const told = pbx.notifications.filter((notification) => notification.callId === callId);
		expect(told).toEqual([
			{
				// ACME Support's responsible is Boris, not Anna whose phone rang.
				extension: SEED.boris.extension,
				userId: String(SEED.boris.id),
				phoneNumber: SEED.acmeContact.phone,
				crmEntityUrl: expect.stringContaining(`/crm/contact/details/${SEED.acmeContact.id}/`),
				callId,
				text: expect.stringMatching(
					/^Missed call from \+4915112345678 \(ACME Support\).*crm\/contact/,
				),
			},
		]);
		expect(finishedCall(sandbox, callId)).toMatchObject({ statusCode: '304', missed: true });
		expect(sandbox.state.statistics.filter((row) => row.callId === callId)).toHaveLength(1);
	});

	it('example "missed call": a caller nobody has in the CRM goes to the fallback; an answered call to nobody', async () => {
		const { sandbox, pbx } = context();
		// A portal that refuses to create the lead (its documented LEAD_CREATION_ERROR): the number
		// stays in no CRM record, so nobody is responsible for it.
		sandbox.state.leadCreationError = 'Lead creation is disabled';
		const unknown = await ringingCall('1710190000.601', '+4930555000111').finally(() => {
			sandbox.state.leadCreationError = null;
		});
		const answered = await ringingCall('1710190000.602', SEED.acmeContact.phone);
		const before = await readExecutions(context().home, EXAMPLES.missedCallNotify.id);
		for (const [bitrixCallId, disposition, billsec] of [
			[unknown, 'NO ANSWER', 0],
			[answered, 'ANSWERED', 41],
		] as const) {
			const response = await postToWebhook(url(EXAMPLES.missedCallNotify.webhookPath), {
				bitrixCallId,
				exten: SEED.anna.extension,
				billsec,
				disposition,
			});
			expect(response.status).toBe(200);
		}
		await settledExecutions(EXAMPLES.missedCallNotify.id, before.length + 2);

		expect(pbx.notifications.filter((n) => n.callId === unknown)).toEqual([
			expect.objectContaining({ extension: MISSED_CALL_FALLBACK_EXTENSION, userId: '' }),
		]);
		expect(pbx.notifications.filter((n) => n.callId === answered)).toEqual([]);
		expect(finishedCall(sandbox, answered)).toMatchObject({ duration: 41, statusCode: '200' });
	});

	it('example "transfer": one CALL_ID per leg, the card shown and hidden per leg, each leg finished by who spoke', async () => {
		const { sandbox } = context();
		const path = url(EXAMPLES.callTransfer.webhookPath);
		const call = { linkedid: '1710200000.700', from: SEED.acmeContact.phone, did: SEED.line };

		const ringing = await postToWebhook(path, {
			event: 'ringing',
			...call,
			leg: 1,
			exten: SEED.anna.extension,
		});
		expect(ringing.status).toBe(200);
		const leg1 = (ringing.body as { callId: string }).callId;

		const transferred = await postToWebhook(path, {
			event: 'transferred',
			...call,
			callId: leg1,
			fromExten: SEED.anna.extension,
			billsec: 30,
			leg: 2,
			toExten: SEED.boris.extension,
		});
		expect(transferred.status).toBe(200);
		const leg2 = (transferred.body as { callId: string }).callId;
		expect(leg2).toMatch(/^externalCall\./);
		expect(leg2).not.toBe(leg1);

		const hangup = await postToWebhook(path, {
			event: 'hangup',
			callId: leg2,
			exten: SEED.boris.extension,
			billsec: 45,
			disposition: 'ANSWERED',
		});
		expect(hangup.status).toBe(200);
		expect(hangup.body).toEqual({ callId: leg2, status: 'answered' });

		expect(finishedCallByExternalId(sandbox, '1710200000.700-leg1')).toMatchObject({
			callId: leg1,
			portalUserId: SEED.anna.id,
			duration: 30,
			statusCode: '200',
			call: expect.objectContaining({ primaryEntityId: SEED.acmeContact.id }),
		});
		expect(finishedCallByExternalId(sandbox, '1710200000.700-leg2')).toMatchObject({
			callId: leg2,
			portalUserId: SEED.boris.id,
			duration: 45,
			statusCode: '200',
			call: expect.objectContaining({ primaryEntityId: SEED.acmeContact.id }),
		});
		const cards = (callId: string) =>
			sandbox.state.cardEvents
				.filter((event) => event.callId === callId)
				.map((event) => [event.action, event.userIds.map(Number)]);
		expect(cards(leg1)).toEqual([
			['show', [SEED.anna.id]],
			['hide', [SEED.anna.id]],
		]);
		expect(cards(leg2)).toEqual([
			['show', [SEED.boris.id]],
			['hide', [SEED.boris.id]],
		]);
	});

	it('example "route to manager": the PBX gets the extension of the caller\'s responsible, or the fallback', async () => {
		const ask = async (caller: string) => {
			const target = `${url(EXAMPLES.routeToManager.webhookPath)}?number=${encodeURIComponent(caller)}`;
			return await waitFor(
				'the routing webhook to answer',
				async () => {
					const response = await fetch(target);
					return response.status === 404
						? undefined
						: { status: response.status, text: await response.text() };
				},
				EFFECT_TIMEOUT_MS,
			);
		};
		// ACME Support (contact) → Boris; Daisy LLC (company) → Anna.
		expect(await ask(SEED.acmeContact.phone)).toEqual({
			status: 200,
			text: SEED.boris.extension,
		});
		expect(await ask(SEED.daisyCompany.phone)).toEqual({ status: 200, text: SEED.anna.extension });
		// Nobody has the number, and a number Bitrix24 cannot take: the fallback (empty).
		expect(await ask('+4930555000999')).toEqual({ status: 200, text: '' });
		expect(await ask('')).toEqual({ status: 200, text: '' });
	});
}
