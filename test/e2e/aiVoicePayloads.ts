/**
 * What the AI voice-agent platforms POST when a call ends, shaped as their public documentation
 * shows it (the fields, their names, nesting and units; the values are made up):
 * - Vapi `end-of-call-report` server message: https://docs.vapi.ai/server-url/end-of-call-report
 *   and https://docs.vapi.ai/server-url/events (times ISO 8601; `artifact.messages[].secondsFromStart`
 *   in seconds, `duration` in milliseconds; `artifact.recording.mono.combinedUrl`).
 * - Retell `call_ended` / `call_analyzed` webhooks: https://docs.retellai.com/features/webhook, the
 *   call object of https://docs.retellai.com/api-references/get-call (timestamps in ms since the
 *   epoch; `transcript_object[].words[].start/end` in seconds).
 * - ElevenLabs Agents `post_call_transcription`:
 *   https://elevenlabs.io/docs/eleven-agents/workflows/post-call-webhooks (`event_timestamp` and
 *   `metadata.start_time_unix_secs` in seconds; `transcript[].time_in_call_secs`).
 */

/** One conversation, told to each platform in its own words. */
export interface AiCall {
	id: string;
	caller: string;
	agentNumber: string;
	startedAt: Date;
	durationSeconds: number;
	recordingUrl: string;
	summary: string;
	/** [who, seconds from the start, seconds it lasted, text] */
	turns: Array<['agent' | 'caller', number, number, string]>;
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
const endOf = (call: AiCall) => new Date(call.startedAt.getTime() + call.durationSeconds * 1000);

export function vapiEndOfCallReport(call: AiCall): Record<string, unknown> {
	const start = call.startedAt.getTime();
	const messages = [
		{
			role: 'system',
			message: 'You are the front desk of ACME.',
			time: start,
			secondsFromStart: 0,
		},
		...call.turns.map(([who, from, lasts, text]) => ({
			role: who === 'agent' ? 'bot' : 'user',
			message: text,
			time: start + from * 1000,
			endTime: start + (from + lasts) * 1000,
			secondsFromStart: from,
			duration: lasts * 1000,
			...(who === 'agent' ? { source: '' } : {}),
		})),
	];
	const customer = { number: call.caller };
	return {
		message: {
			timestamp: endOf(call).getTime(),
			type: 'end-of-call-report',
			endedReason: 'customer-ended-call',
			cost: 0.0873,
			startedAt: call.startedAt.toISOString(),
			endedAt: endOf(call).toISOString(),
			customer,
			phoneNumber: { id: 'f1a2b3c4-0000-4000-8000-000000000001', number: call.agentNumber },
			call: {
				id: call.id,
				orgId: '0c6a1f7e-0000-4000-8000-000000000002',
				type: 'inboundPhoneCall',
				status: 'ended',
				customer,
				phoneNumberId: 'f1a2b3c4-0000-4000-8000-000000000001',
			},
			artifact: {
				recordingUrl: call.recordingUrl,
				stereoRecordingUrl: call.recordingUrl.replace('-mono', '-stereo'),
				recording: {
					stereoUrl: call.recordingUrl.replace('-mono', '-stereo'),
					mono: { combinedUrl: call.recordingUrl },
				},
				transcript: call.turns
					.map(([who, , , text]) => `${who === 'agent' ? 'AI' : 'User'}: ${text}`)
					.join('\n'),
				messages,
			},
			analysis: { summary: call.summary, successEvaluation: 'true' },
		},
	};
}

export function retellWebhook(
	event: 'call_ended' | 'call_analyzed',
	call: AiCall,
): Record<string, unknown> {
	const start = call.startedAt.getTime();
	const body: Record<string, unknown> = {
		call_type: 'phone_call',
		from_number: call.caller,
		to_number: call.agentNumber,
		direction: 'inbound',
		call_id: call.id,
		agent_id: 'oBeDLoLOeuAbiuaMFXRtDOLriTJ5tSxD',
		call_status: 'ended',
		metadata: {},
		retell_llm_dynamic_variables: {},
		start_timestamp: start,
		end_timestamp: start + call.durationSeconds * 1000,
		duration_ms: call.durationSeconds * 1000,
		disconnection_reason: 'user_hangup',
		transcript: call.turns
			.map(([who, , , text]) => `${who === 'agent' ? 'Agent' : 'User'}: ${text}`)
			.join('\n'),
		transcript_object: call.turns.map(([who, from, lasts, text]) => {
			const words = text.split(' ');
			const step = lasts / words.length;
			return {
				role: who === 'agent' ? 'agent' : 'user',
				content: text,
				words: words.map((word, index) => ({
					word,
					start: from + index * step,
					// The last word ends exactly when the turn does (no floating-point drift).
					end: index === words.length - 1 ? from + lasts : from + (index + 1) * step,
				})),
			};
		}),
		recording_url: call.recordingUrl,
		opt_out_sensitive_data_storage: false,
	};
	if (event === 'call_analyzed') {
		body.call_analysis = {
			call_summary: call.summary,
			in_voicemail: false,
			user_sentiment: 'Positive',
			call_successful: true,
			custom_analysis_data: {},
		};
	}
	return { event, call: body };
}

export function elevenLabsPostCallTranscription(call: AiCall): Record<string, unknown> {
	return {
		type: 'post_call_transcription',
		event_timestamp: seconds(endOf(call)),
		data: {
			agent_id: 'agent_01jyfb9fh8f67agfzvv09tvg3t',
			conversation_id: call.id,
			status: 'done',
			user_id: null,
			transcript: call.turns.map(([who, from, , text]) => ({
				role: who === 'agent' ? 'agent' : 'user',
				message: text,
				tool_calls: [],
				tool_results: [],
				feedback: null,
				llm_override: null,
				time_in_call_secs: from,
				conversation_turn_metrics: null,
				rag_retrieval_info: null,
				llm_usage: null,
				interrupted: false,
				original_message: null,
				source_medium: null,
			})),
			metadata: {
				start_time_unix_secs: seconds(call.startedAt),
				accepted_time_unix_secs: seconds(call.startedAt),
				call_duration_secs: call.durationSeconds,
				cost: 180,
				termination_reason: 'Call ended by remote party',
				main_language: 'en',
				phone_call: {
					direction: 'inbound',
					phone_number_id: 'phnum_0000000000000000000000000',
					agent_number: call.agentNumber,
					external_number: call.caller,
					type: 'twilio',
					stream_sid: 'MZ00000000000000000000000000000000',
					call_sid: 'CA00000000000000000000000000000000',
				},
			},
			analysis: {
				evaluation_criteria_results: {},
				data_collection_results: {},
				call_successful: 'success',
				transcript_summary: call.summary,
			},
			conversation_initiation_client_data: {
				conversation_config_override: { agent: null, tts: null },
				custom_llm_extra_body: {},
				dynamic_variables: {
					system__caller_id: call.caller,
					system__called_number: call.agentNumber,
					system__conversation_id: call.id,
				},
			},
		},
	};
}

/** The audio webhook ElevenLabs sends to the same URL: not a transcript, so not logged. */
export function elevenLabsPostCallAudio(call: AiCall): Record<string, unknown> {
	return {
		type: 'post_call_audio',
		event_timestamp: seconds(endOf(call)),
		data: {
			agent_id: 'agent_01jyfb9fh8f67agfzvv09tvg3t',
			conversation_id: call.id,
			full_audio: Buffer.from('ID3 not really audio').toString('base64'),
		},
	};
}
