/**
 * What n8n calls when the workflow is activated (checkExists, then create if needed) and
 * deactivated (delete), and around "Listen for test event" with the test URL.
 *
 * OAuth2: the node manages its own subscription with `event.bind` / `event.get` /
 * `event.unbind` (docs/bitrix24-fidelity.md rows 24–26; OAuth only, webhooks get WRONG_AUTH_TYPE), through the action
 * node's transport (rate limits, error classification, redaction).
 *
 * Outbound webhook: there is nothing to manage. Bitrix24 has no API to create, list or delete
 * outbound webhooks, and event.bind refuses webhook authentication; the user creates the
 * outbound webhook by hand (see the node's notice). So the three methods report "exists",
 * "created" and "deleted" without a request.
 */
import { NodeOperationError, type IDataObject, type IHookFunctions } from 'n8n-workflow';

import { triggerAuthentication } from './description';
import { isTriggerEvent, type TriggerEvent } from './events';
import { openPortal, toNodeError, type PortalClient } from './portalClient';
import { isV11 } from './versions';

interface Subscription {
	transport: PortalClient;
	handler: string;
	selected: TriggerEvent[];
}

function isOAuth2(ctx: IHookFunctions): boolean {
	const fallback = isV11(ctx.getNode().typeVersion) ? 'oAuth2' : 'outboundWebhook';
	return triggerAuthentication(ctx.getNodeParameter('authentication', fallback)) === 'oAuth2';
}

/**
 * "Receive Application Token" binds nothing: ONAPPINSTALL goes to the application's
 * installation path, not to event.bind handlers. It only runs on the test URL, so activating the
 * workflow with it on is refused with what to do.
 */
function inTokenSetup(ctx: IHookFunctions): boolean {
	if (
		!isV11(ctx.getNode().typeVersion) ||
		ctx.getNodeParameter('applicationTokenSetup', false) !== true
	)
		return false;
	if (ctx.getMode() !== 'manual')
		throw new NodeOperationError(
			ctx.getNode(),
			'Turn off "Receive Application Token" before activating the workflow',
			{
				description:
					'That option only receives the application token once, on the test URL ("Listen for test event"). Copy the token into the credential, turn the option off, then activate.',
			},
		);
	return true;
}

async function subscription(ctx: IHookFunctions): Promise<Subscription> {
	const handler = ctx.getNodeWebhookUrl('default');
	if (!handler)
		throw new NodeOperationError(ctx.getNode(), 'n8n did not provide a webhook URL for this node');
	const raw = ctx.getNodeParameter('events', []) as unknown;
	const selected = (Array.isArray(raw) ? raw : [])
		.map((event) => String(event).toUpperCase())
		.filter(isTriggerEvent);
	if (selected.length === 0)
		throw new NodeOperationError(ctx.getNode(), 'Select at least one event');
	const transport = await openPortal(ctx, 'oAuth2');
	return { transport, handler, selected };
}

/** The telephony events the portal currently sends to this node's URL (`event.get`). */
async function boundEvents({ transport, handler }: Subscription): Promise<TriggerEvent[]> {
	const { result } = await transport.call('event.get', {});
	const handlers = Array.isArray(result) ? (result as IDataObject[]) : [];
	const events = handlers
		.filter((entry) => String(entry.handler ?? '') === handler)
		.map((entry) => String(entry.event ?? '').toUpperCase())
		.filter(isTriggerEvent);
	return [...new Set(events)];
}

export async function checkExists(this: IHookFunctions): Promise<boolean> {
	if (!isOAuth2(this) || inTokenSetup(this)) return true;
	try {
		const target = await subscription(this);
		const bound = await boundEvents(target);
		return (
			target.selected.every((event) => bound.includes(event)) &&
			bound.every((event) => target.selected.includes(event))
		);
	} catch (error) {
		throw toNodeError(this, error);
	}
}

/** Binds the selected events that are missing, unbinds the ones no longer selected. */
export async function create(this: IHookFunctions): Promise<boolean> {
	if (!isOAuth2(this) || inTokenSetup(this)) return true;
	try {
		const target = await subscription(this);
		const { transport, handler, selected } = target;
		const bound = await boundEvents(target);
		for (const event of selected.filter((candidate) => !bound.includes(candidate))) {
			// Binding twice answers "Handler already binded", so only missing ones are bound,
			// and a lost answer may be repeated.
			await transport.call('event.bind', { event, handler, event_type: 'online' });
		}
		for (const event of bound.filter((candidate) => !selected.includes(candidate))) {
			await transport.call('event.unbind', { event, handler });
		}
		return true;
	} catch (error) {
		throw toNodeError(this, error);
	}
}

/** Unbinds every telephony event bound to this node's URL, selected or not. */
export async function remove(this: IHookFunctions): Promise<boolean> {
	if (!isOAuth2(this)) return true;
	try {
		const handler = this.getNodeWebhookUrl('default');
		if (!handler) return true;
		const transport = await openPortal(this, 'oAuth2');
		const target: Subscription = { transport, handler, selected: [] };
		for (const event of await boundEvents(target)) {
			await transport.call('event.unbind', { event, handler });
		}
		return true;
	} catch (error) {
		throw toNodeError(this, error);
	}
}
