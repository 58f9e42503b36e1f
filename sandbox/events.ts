/**
 * Outgoing events: ONEXTERNALCALLSTART after a simulated click-to-call,
 * ONEXTERNALCALLBACKSTART after a callback form, ONVOXIMPLANTCALLINIT/END after register/finish, POSTed form-encoded (PHP bracket keys) to every
 * handler of the line's app. Outbound webhooks (APP_ID 0) get the events of lines without an app
 * and a reduced auth block. No retries.
 */
import { randomBytes } from 'crypto';
import { postEvent } from './event-delivery';
import { phoneExtension, toE164 } from './phone';
import { httpBuildQuery } from './php-query';
import { registerCall } from './methods/externalcall-register';
import type { SandboxRuntime } from './runtime';
import { EventHandler, nextId, OAuthApp } from './state';
import type {
	BuildEventBodyOptions,
	CallbackRequestOptions,
	ClickToCallOptions,
	Delivery,
	SandboxEvents,
} from './types';

interface RoutedLine {
	appId: number | null;
	/** "" for the app-level REST_APP line. */
	number: string;
	crmAutoCreate: 'Y' | 'N';
}

export class EventDispatcher implements SandboxEvents {
	private pending: Array<Promise<Delivery[]>> = [];

	constructor(private readonly runtime: SandboxRuntime) {}

	/**
	 * OnVoximplantCallInit / OnVoximplantCallEnd: "Who can subscribe: any user", through an outbound
	 * webhook or an application's event.bind (api-reference/telephony/voximplant/events/index.md), so
	 * every handler of the event gets it, not only the line's app. Sent after the REST answer.
	 */
	queueCallEvent(event: string, data: Record<string, unknown>, userId: number): void {
		const handlers = this.runtime.state.eventHandlers.filter((handler) => handler.event === event);
		if (handlers.length === 0) return;
		this.pending.push(
			Promise.resolve().then(async () => {
				const deliveries: Delivery[] = [];
				for (const handler of handlers) {
					const payload = this.buildBody({
						event,
						data,
						auth: this.authBlock(handler, userId),
						eventHandlerId: handler.id,
					});
					deliveries.push(await postEvent(handler.handler, payload));
				}
				return deliveries;
			}),
		);
	}

	async settled(): Promise<Delivery[]> {
		const pending = this.pending;
		this.pending = [];
		return (await Promise.all(pending)).flat();
	}

	addOutboundWebhook(options: { url: string; events: string[]; applicationToken?: string }): {
		applicationToken: string;
		handlers: EventHandler[];
	} {
		const { state } = this.runtime;
		const applicationToken = options.applicationToken ?? randomBytes(16).toString('hex');
		const handlers = options.events.map((event) => {
			const handler: EventHandler = {
				id: nextId(state, 'eventHandler'),
				event: event.toUpperCase(),
				handler: options.url,
				appId: 0,
				kind: 'outbound-webhook',
				userId: 0,
				applicationToken,
			};
			state.eventHandlers.push(handler);
			return handler;
		});
		return { applicationToken, handlers };
	}

	/**
	 * Helper::startCall: the portal registers the call itself (TYPE 1, CRM_CREATE from the line's
	 * CRM_AUTO_CREATE, no EXTERNAL_CALL_ID), then sends ONEXTERNALCALLSTART with its CALL_ID.
	 */
	async clickToCall(
		options: ClickToCallOptions,
	): Promise<{ callId: string; deliveries: Delivery[] }> {
		const line = this.routeLine(options.lineNumber, options.clientId);
		const hasEntity = options.crmEntityType !== undefined && options.crmEntityId !== undefined;
		const registered = registerCall(this.runtime, {
			userId: options.userId,
			phoneNumber: options.phoneNumber,
			type: 1,
			startDate: Math.floor(this.runtime.now() / 1000) * 1000,
			restAppId: line.appId,
			lineNumber: line.number,
			crmCreate: line.crmAutoCreate === 'Y',
			crmEntityType: hasEntity ? options.crmEntityType : '',
			crmEntityId: hasEntity ? options.crmEntityId : null,
			callListId: options.callListId ?? 0,
			show: false,
			params: {},
		});
		const data = {
			PHONE_NUMBER: options.phoneNumber,
			PHONE_NUMBER_INTERNATIONAL: toE164(options.phoneNumber),
			EXTENSION: phoneExtension(options.phoneNumber),
			USER_ID: options.userId,
			CALL_LIST_ID: options.callListId ?? 0,
			LINE_NUMBER: line.number,
			IS_MOBILE: options.isMobile === true,
			CALL_ID: registered.CALL_ID,
			CRM_ENTITY_TYPE: registered.CRM_ENTITY_TYPE,
			CRM_ENTITY_ID: registered.CRM_ENTITY_ID,
			CRM_CREATED_LEAD: registered.CRM_CREATED_LEAD,
			CRM_CREATED_ENTITIES: registered.CRM_CREATED_ENTITIES,
		};
		const deliveries = await this.deliver(
			'ONEXTERNALCALLSTART',
			line.appId,
			data,
			options.userId,
			options.duplicate === true,
		);
		return { callId: registered.CALL_ID, deliveries };
	}

	/** Helper::startCallBack: the integration must originate, register and finish the call itself. */
	async callbackRequest(options: CallbackRequestOptions): Promise<{ deliveries: Delivery[] }> {
		const line = this.routeLine(options.lineNumber, options.clientId);
		const data = {
			PHONE_NUMBER: options.phoneNumber,
			TEXT: options.text ?? '',
			VOICE: options.voice ?? '',
			CRM_ENTITY_TYPE: options.crmEntityType ?? '',
			CRM_ENTITY_ID: options.crmEntityId ?? null,
			LINE_NUMBER: line.number,
		};
		const installer = this.appById(line.appId)?.userId ?? 1;
		return {
			deliveries: await this.deliver(
				'ONEXTERNALCALLBACKSTART',
				line.appId,
				data,
				installer,
				options.duplicate === true,
			),
		};
	}

	/** The raw body: event, event_handler_id, data[...], ts, auth[...] via http_build_query. */
	buildBody(options: BuildEventBodyOptions): string {
		return httpBuildQuery({
			event: options.event,
			event_handler_id: options.eventHandlerId ?? null,
			data: options.data,
			ts: options.ts ?? Math.floor(this.runtime.now() / 1000),
			auth: options.auth,
		});
	}

	/** The named line (optionally of one app), else the app's first line, else its REST_APP default. */
	private routeLine(lineNumber: string | undefined, clientId: string | undefined): RoutedLine {
		const { state } = this.runtime;
		let appId: number | null = null;
		if (clientId !== undefined) {
			const app = state.apps.find((candidate) => candidate.clientId === clientId);
			if (!app) throw new Error(`sandbox.events: no app with clientId ${clientId}`);
			appId = app.id;
		}
		const line =
			lineNumber !== undefined
				? state.lines.find(
						(candidate) =>
							candidate.number === lineNumber &&
							(clientId === undefined || candidate.appId === appId),
					)
				: state.lines.find((candidate) => candidate.appId === appId);
		if (line) return { appId: line.appId, number: line.number, crmAutoCreate: line.crmAutoCreate };
		if (lineNumber !== undefined) throw new Error(`sandbox.events: no line ${lineNumber}`);
		return { appId, number: '', crmAutoCreate: 'Y' };
	}

	/** VoxImplant filterApp: handler APP_ID == line REST_APP_ID, so APP_ID 0 matches lines without an app. */
	private async deliver(
		event: string,
		appId: number | null,
		data: Record<string, unknown>,
		userId: number,
		duplicate: boolean,
	): Promise<Delivery[]> {
		const handlers = this.runtime.state.eventHandlers.filter(
			(handler) => handler.event === event && handler.appId === (appId ?? 0),
		);
		const deliveries: Delivery[] = [];
		for (const handler of handlers) {
			const payload = this.buildBody({
				event,
				data,
				auth: this.authBlock(handler, userId),
				eventHandlerId: handler.id,
			});
			for (let copy = 0; copy < (duplicate ? 2 : 1); copy++)
				deliveries.push(await postEvent(handler.handler, payload));
		}
		return deliveries;
	}

	/** Full OAuth block for app handlers; outbound webhooks get no tokens. */
	private authBlock(handler: EventHandler, userId: number): Record<string, unknown> {
		const { runtime } = this;
		const common = {
			domain: runtime.domain,
			client_endpoint: `${runtime.baseUrl}/rest/`,
			server_endpoint: `${runtime.baseUrl}/rest/`,
			member_id: runtime.state.memberId,
		};
		const app = handler.kind === 'app' ? this.appById(handler.appId) : undefined;
		if (!app) return { ...common, application_token: handler.applicationToken };
		return {
			...runtime.oauth.accessTokenBlock(app, handler.userId || userId),
			application_token: app.applicationToken,
		};
	}

	private appById(appId: number | null): OAuthApp | undefined {
		return appId === null ? undefined : this.runtime.state.apps.find((app) => app.id === appId);
	}
}
