/**
 * event.bind / event.get / event.unbind (docs/bitrix24-fidelity.md rows 24–26): OAuth only, telephony events need the
 * telephony scope; handlers are stored per app and receive events through sandbox.events.
 */
import { argumentNull, RestError } from '../errors';
import { Params, phpInt, phpString } from '../php-values';
import { nextId, OAuthApp } from '../state';
import { MethodContext, MethodDefinition, ok, requireOAuth } from './context';

/** The events a telephony app can bind, by scope (api-reference/telephony/events, …/voximplant/events). */
const EVENTS_BY_SCOPE: Record<string, string[]> = {
	telephony: [
		'ONEXTERNALCALLSTART',
		'ONEXTERNALCALLBACKSTART',
		'ONVOXIMPLANTCALLINIT',
		'ONVOXIMPLANTCALLSTART',
		'ONVOXIMPLANTCALLEND',
	],
};

function upperKeys(params: Params): Params {
	return Object.fromEntries(
		Object.entries(params).map(([key, value]) => [key.toUpperCase(), value]),
	);
}

function callingApp(ctx: MethodContext): OAuthApp {
	requireOAuth(ctx);
	return ctx.runtime.state.apps.find((app) => app.id === ctx.auth.appId) as OAuthApp;
}

export const eventBindMethod: MethodDefinition = {
	name: 'event.bind',
	scope: null,
	handler(ctx: MethodContext) {
		const app = callingApp(ctx);
		const query = upperKeys(ctx.params);
		const event = phpString(query.EVENT).toUpperCase();
		const handler = phpString(query.HANDLER);
		if (event === '') throw argumentNull('EVENT');
		if (handler === '') throw argumentNull('HANDLER');
		const known = app.scopes.some((scope) => (EVENTS_BY_SCOPE[scope] ?? []).includes(event));
		if (!known) throw new RestError(400, 'ERROR_EVENT_NOT_FOUND', 'Event not found');
		const userId = phpInt(query.AUTH_TYPE);
		const { state } = ctx.runtime;
		const duplicate = state.eventHandlers.some(
			(candidate) =>
				candidate.appId === app.id &&
				candidate.event === event &&
				candidate.handler === handler &&
				candidate.userId === userId,
		);
		if (duplicate)
			throw new RestError(400, 'ERROR_CORE', 'Unable to set event handler: Handler already binded');
		state.eventHandlers.push({
			id: nextId(state, 'eventHandler'),
			event,
			handler,
			appId: app.id,
			kind: 'app',
			userId,
			applicationToken: app.applicationToken,
		});
		return ok(true);
	},
};

export const eventGetMethod: MethodDefinition = {
	name: 'event.get',
	scope: null,
	handler(ctx: MethodContext) {
		const app = callingApp(ctx);
		const handlers = ctx.runtime.state.eventHandlers.filter(
			(candidate) => candidate.appId === app.id,
		);
		return ok(
			handlers.map((handler) => ({
				event: handler.event,
				handler: handler.handler,
				// Read from the database: the user id is a string there, `offline` an int (event-get.md).
				auth_type: String(handler.userId),
				offline: 0,
			})),
		);
	},
};

export const eventUnbindMethod: MethodDefinition = {
	name: 'event.unbind',
	scope: null,
	handler(ctx: MethodContext) {
		const app = callingApp(ctx);
		const query = upperKeys(ctx.params);
		const event = phpString(query.EVENT).toUpperCase();
		const handler = phpString(query.HANDLER);
		if (event === '') throw argumentNull('EVENT');
		if (handler === '') throw argumentNull('HANDLER');
		const { state } = ctx.runtime;
		const matches = (candidate: (typeof state.eventHandlers)[number]) =>
			candidate.appId === app.id &&
			candidate.event === event &&
			candidate.handler === handler &&
			(query.AUTH_TYPE === undefined || candidate.userId === phpInt(query.AUTH_TYPE));
		const count = state.eventHandlers.filter(matches).length;
		state.eventHandlers = state.eventHandlers.filter((candidate) => !matches(candidate));
		return ok({ count });
	},
};
