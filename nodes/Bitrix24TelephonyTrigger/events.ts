/**
 * The telephony events the trigger listens to. Version 1 offers the two Bitrix24 sends to an
 * integration (docs/bitrix24-fidelity.md rows 27–28); version 1.1 adds the call history events
 * (b24restdocs api-reference/telephony/voximplant/events/: OnVoximplantCallInit on every new
 * call, including telephony.externalcall.register; OnVoximplantCallEnd when a call is written
 * to the history, including telephony.externalcall.finish), which an application and an
 * outbound webhook may both subscribe to. The names are part of the node's public contract:
 * workflows store them in the `events` parameter.
 */
import type { INodePropertyOptions } from 'n8n-workflow';

export const CALL_START_EVENT = 'ONEXTERNALCALLSTART';
export const CALLBACK_START_EVENT = 'ONEXTERNALCALLBACKSTART';

export const CALL_INIT_EVENT = 'ONVOXIMPLANTCALLINIT';
export const CALL_END_EVENT = 'ONVOXIMPLANTCALLEND';

export const TRIGGER_EVENTS = [
	CALL_START_EVENT,
	CALLBACK_START_EVENT,
	CALL_INIT_EVENT,
	CALL_END_EVENT,
] as const;

export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

export function isTriggerEvent(value: string): value is TriggerEvent {
	return (TRIGGER_EVENTS as readonly string[]).includes(value);
}

/** Short names for the node's subtitle. */
export const EVENT_WORDS: Record<TriggerEvent, string> = {
	[CALL_START_EVENT]: 'Click-to-call',
	[CALLBACK_START_EVENT]: 'Callback requested',
	[CALL_INIT_EVENT]: 'Call started',
	[CALL_END_EVENT]: 'Call ended',
};

/**
 * The subtitle: the selected events in words. n8n evaluates it as an expression, so the names are
 * written into it (a ternary per event; no object literal, whose braces the expression syntax
 * would take for its own).
 */
export const EVENTS_SUBTITLE = `={{ ($parameter["events"] || []).map(e => ${TRIGGER_EVENTS.map(
	(event) => `e === "${event}" ? "${EVENT_WORDS[event]}" : `,
).join('')}e).join(", ") }}`;

/** Version 1's choice (unchanged). */
export const eventOptions: INodePropertyOptions[] = [
	{
		name: 'Call Started From Bitrix24 (Click-to-Call)',
		value: CALL_START_EVENT,
		description:
			'An employee clicked a phone number in the CRM. Bitrix24 has already registered the call: have the PBX dial it, then Finish the received CALL_ID (never Register it again).',
	},
	{
		name: 'Callback Requested',
		value: CALLBACK_START_EVENT,
		description:
			'A visitor asked to be called back through a CRM form. No call exists yet: the PBX calls back, then Register and Finish the call.',
	},
];

/** Version 1.1: the call history events too. */
export const eventOptionsV11: INodePropertyOptions[] = [
	...eventOptions,
	{
		name: 'Call Ended',
		value: CALL_END_EVENT,
		description:
			'Any call was written to the call history, including a PBX call finished with Finish or Log Completed Call. Optionally with its full record (duration, result, cost, recording, CRM binding).',
	},
	{
		name: 'Call Initialized',
		value: CALL_INIT_EVENT,
		description:
			'A call began: an incoming or outgoing call of Bitrix24 telephony, or a PBX call registered with Register',
	},
];
