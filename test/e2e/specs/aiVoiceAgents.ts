/**
 * examples/ai-voice-agents.json in a running `n8n start`: the end-of-call webhooks of Vapi, Retell
 * and ElevenLabs, posted as each platform posts them (test/e2e/aiVoicePayloads.ts), become one
 * finished call each in Bitrix24, with the transcript and (where the platform has a URL) the
 * recording; repeated reports and the other messages of each platform log nothing.
 */
import { DEMO_SEED as SEED } from '../../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES } from '../../../scripts/n8n-runtime/examples';
import { readExecutions } from '../../../scripts/n8n-runtime/executions';
import { waitFor } from '../../../scripts/n8n-runtime/processes';
import { postToWebhook, type N8nServer } from '../../../scripts/n8n-runtime/server';
import {
	elevenLabsPostCallAudio,
	elevenLabsPostCallTranscription,
	retellWebhook,
	vapiEndOfCallReport,
	type AiCall,
} from '../aiVoicePayloads';
import { EFFECT_TIMEOUT_MS, type E2eContext } from '../fixture';

const TURNS: AiCall['turns'] = [
	['agent', 1, 3, 'Hello, ACME front desk, how can I help?'],
	['caller', 5, 4, 'I would like to move my appointment to Friday.'],
	['agent', 10, 2, 'Done, see you on Friday.'],
];

function aiCall(id: string, recordingUrl: string): AiCall {
	const startedAt = new Date(Date.now() - 5 * 60_000);
	startedAt.setUTCMilliseconds(0);
	return {
		id,
		caller: SEED.acmeContact.phone,
		agentNumber: SEED.line,
		startedAt,
		durationSeconds: 14,
		recordingUrl,
		summary: 'The caller moved their appointment to Friday.',
		turns: TURNS,
	};
}

export function describeAiVoiceAgents(context: () => E2eContext, server: () => N8nServer): void {
	const post = async (path: string, body: Record<string, unknown>) => {
		const response = await postToWebhook(server().webhookUrl(path), body);
		expect(response.status).toBe(200);
	};

	/** Waits until `count` executions of the example exist and all are finished. */
	const settled = async (count: number) =>
		await waitFor(
			`${count} finished executions of the AI example`,
			async () => {
				const stored = await readExecutions(context().home, EXAMPLES.aiVoiceAgents.id);
				return stored.length >= count && stored.every((execution) => execution.finished)
					? stored
					: undefined;
			},
			EFFECT_TIMEOUT_MS,
		);

	/** The call as Bitrix24 holds it: once, finished by Anna (Settings), bound to ACME Support. */
	const expectLogged = (externalCallId: string, call: AiCall) => {
		const { sandbox } = context();
		const rows = sandbox.state.statistics.filter(
			(row) => row.call.externalCallId === externalCallId,
		);
		expect(rows).toHaveLength(1);
		const [row] = rows;
		expect(row).toMatchObject({
			portalUserId: SEED.anna.id,
			duration: call.durationSeconds,
			statusCode: '200',
			call: expect.objectContaining({
				phoneNumber: SEED.acmeContact.phone,
				type: 2,
				primaryEntityType: 'CONTACT',
				primaryEntityId: SEED.acmeContact.id,
			}),
		});
		expect(new Date(row.call.dateCreate).toISOString()).toBe(call.startedAt.toISOString());
		const transcripts = sandbox.state.transcripts.filter((t) => t.callId === row.callId);
		expect(transcripts).toHaveLength(1);
		return { row, messages: transcripts[0].messages as Array<Record<string, unknown>> };
	};
	const asRows = (messages: Array<Record<string, unknown>>) =>
		messages.map((m) => [m.SIDE, Number(m.START_TIME), Number(m.STOP_TIME), m.MESSAGE]);

	it('example "AI voice agents": a Vapi end-of-call report, posted twice, is one call with its transcript and recording', async () => {
		const { sandbox, pbx } = context();
		const before = (await readExecutions(context().home, EXAMPLES.aiVoiceAgents.id)).length;
		const call = aiCall(
			'4c8e0d6a-0000-4000-8000-00000000a001',
			pbx.recordingUrl('vapi-a001-mono.wav'),
		);
		await post(EXAMPLES.aiVoiceAgents.vapiPath, {
			message: { type: 'status-update', status: 'ended', call: { id: call.id } },
		});
		await post(EXAMPLES.aiVoiceAgents.vapiPath, vapiEndOfCallReport(call));
		await settled(before + 2);
		await post(EXAMPLES.aiVoiceAgents.vapiPath, vapiEndOfCallReport(call));
		await settled(before + 3);

		const { row, messages } = expectLogged(`vapi-${call.id}`, call);
		expect(asRows(messages)).toEqual([
			['User', 1, 4, TURNS[0][3]],
			['Client', 5, 9, TURNS[1][3]],
			['User', 10, 12, TURNS[2][3]],
		]);
		const record = sandbox.state.records.find((r) => r.callId === row.callId);
		expect(record?.fileName).toBe(`vapi-${call.id}.wav`);
		expect(pbx.recordingDownloads).toContain('/recordings/vapi-a001-mono.wav');
	});

	it('example "AI voice agents": Retell logs on call_analyzed only, with the transcript and recording', async () => {
		const { sandbox, pbx } = context();
		const before = (await readExecutions(context().home, EXAMPLES.aiVoiceAgents.id)).length;
		const call = aiCall('Jabr9TXYYJHfvl6Syypi88rdAHYHmcq6', pbx.recordingUrl('retell-b002.wav'));
		await post(EXAMPLES.aiVoiceAgents.retellPath, retellWebhook('call_ended', call));
		await post(EXAMPLES.aiVoiceAgents.retellPath, retellWebhook('call_analyzed', call));
		await settled(before + 2);

		const { row, messages } = expectLogged(`retell-${call.id}`, call);
		expect(asRows(messages)).toEqual([
			['User', 1, 4, TURNS[0][3]],
			['Client', 5, 9, TURNS[1][3]],
			['User', 10, 12, TURNS[2][3]],
		]);
		expect(sandbox.state.records.find((r) => r.callId === row.callId)?.fileName).toBe(
			`retell-${call.id}.wav`,
		);
	});

	it('example "AI voice agents": an ElevenLabs post-call transcription is logged with its transcript; the audio webhook is not', async () => {
		const { sandbox, pbx } = context();
		const before = (await readExecutions(context().home, EXAMPLES.aiVoiceAgents.id)).length;
		const call = aiCall('conv_01jyhwem8tfvxsbq8mm5zrdcya', '');
		await post(EXAMPLES.aiVoiceAgents.elevenLabsPath, elevenLabsPostCallTranscription(call));
		await post(EXAMPLES.aiVoiceAgents.elevenLabsPath, elevenLabsPostCallAudio(call));
		const executions = await settled(before + 2);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);

		const { row, messages } = expectLogged(`elevenlabs-${call.id}`, call);
		// ElevenLabs gives each turn's start; a turn lasts until the next one starts.
		expect(asRows(messages)).toEqual([
			['User', 1, 5, TURNS[0][3]],
			['Client', 5, 10, TURNS[1][3]],
			['User', 10, 14, TURNS[2][3]],
		]);
		expect(sandbox.state.records.some((r) => r.callId === row.callId)).toBe(false);
		expect(pbx.recordingDownloads.some((url) => url.includes(call.id))).toBe(false);
	});
}
