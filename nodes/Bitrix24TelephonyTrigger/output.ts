/**
 * What a started execution receives. Version 1: the event as sent (envelope.ts). Version 1.1:
 * the same, plus `call` (the `data` fields typed: numbers and flags, shared/typedFields.ts),
 * and for a Call Ended event with "Fetch Call Record" the call's history row in `record`.
 *
 * A failed record lookup does not drop the event (Bitrix24 never sends it again): the item goes
 * out with `record: null` and `recordError` saying why, so the workflow can branch on it.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { triggerAuthentication } from './description';
import { eventItem, type EventEnvelope } from './envelope';
import { CALL_END_EVENT } from './events';
import { openPortal, toNodeError } from './portalClient';
import { fetchCallRecord } from './shared/callRecord';
import { typedFields } from './shared/typedFields';
import { isV11 } from './versions';

export function wantsCallRecord(ctx: IWebhookFunctions, event: string): boolean {
	return (
		isV11(ctx.getNode().typeVersion) &&
		event === CALL_END_EVENT &&
		ctx.getNodeParameter('fetchCallRecord', false) === true
	);
}

async function recordOf(ctx: IWebhookFunctions, callId: unknown): Promise<IDataObject> {
	if (typeof callId !== 'string' || callId === '')
		return { record: null, recordError: 'The event carries no CALL_ID to look the call up by' };
	try {
		// The application reads the history with its own credential; an outbound webhook cannot
		// call REST methods, so that mode reads through an inbound-webhook credential.
		const mode = triggerAuthentication(ctx.getNodeParameter('authentication', 'oAuth2'));
		const client = await openPortal(ctx, mode === 'oAuth2' ? 'oAuth2' : 'webhook');
		const record = await fetchCallRecord(client, callId);
		return record
			? { record }
			: { record: null, recordError: `The call history has no call ${callId} (yet)` };
	} catch (error) {
		return { record: null, recordError: toNodeError(ctx, error).message };
	}
}

export async function outputItem(
	ctx: IWebhookFunctions,
	envelope: EventEnvelope,
): Promise<IDataObject> {
	const item = eventItem(envelope);
	if (!isV11(ctx.getNode().typeVersion)) return item;
	const withTypes: IDataObject = { ...item, call: typedFields(envelope.data as IDataObject) };
	if (!wantsCallRecord(ctx, envelope.event)) return withTypes;
	return { ...withTypes, ...(await recordOf(ctx, envelope.data.CALL_ID)) };
}
