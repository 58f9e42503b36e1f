/**
 * The event as the workflow sees it: `{ event, event_handler_id, data, ts, auth }`, every value a
 * string as Bitrix24 sent it (docs/bitrix24-fidelity.md rows 27–29: "all scalar values arrive as strings"), with every
 * token taken out of `auth`. Tokens must not reach executions, logs or later nodes: an app
 * event's `access_token` acts as the clicking employee for an hour, and the application token is
 * what authenticates events.
 */
import type { IDataObject } from 'n8n-workflow';

import { isFormMap, type FormMap, type FormValue } from './formBody';

/** `access_token`, `refresh_token`, `application_token`, and any future `…token…` field. */
const TOKEN_FIELD = /token/i;

export interface EventEnvelope {
	event: string;
	data: FormMap;
	auth: FormMap;
	/** The raw `auth[application_token]`, for the authenticity check only. */
	applicationToken: unknown;
	eventHandlerId?: string;
	ts?: string;
}

export type EnvelopeResult = { ok: true; envelope: EventEnvelope } | { ok: false; reason: string };

function optionalString(value: FormValue | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Checks the shape every Bitrix24 event has; anything else is not an event. */
export function readEnvelope(body: FormMap): EnvelopeResult {
	const event = body.event;
	if (typeof event !== 'string' || !/^[A-Za-z0-9_]{1,100}$/.test(event)) {
		return { ok: false, reason: 'the body has no valid "event" field' };
	}
	const data = body.data ?? {};
	if (!isFormMap(data)) return { ok: false, reason: 'the "data" field is not a set of fields' };
	const auth = body.auth ?? {};
	if (!isFormMap(auth)) return { ok: false, reason: 'the "auth" field is not a set of fields' };
	return {
		ok: true,
		envelope: {
			event: event.toUpperCase(),
			data,
			auth,
			applicationToken: auth.application_token,
			eventHandlerId: optionalString(body.event_handler_id),
			ts: optionalString(body.ts),
		},
	};
}

export function withoutTokens(auth: FormMap): FormMap {
	const kept: FormMap = {};
	for (const [key, value] of Object.entries(auth)) {
		if (!TOKEN_FIELD.test(key)) kept[key] = value;
	}
	return kept;
}

/** The output item's JSON. */
export function eventItem(envelope: EventEnvelope): IDataObject {
	return {
		event: envelope.event,
		...(envelope.eventHandlerId !== undefined ? { event_handler_id: envelope.eventHandlerId } : {}),
		data: envelope.data as IDataObject,
		...(envelope.ts !== undefined ? { ts: envelope.ts } : {}),
		auth: withoutTokens(envelope.auth) as IDataObject,
	};
}
