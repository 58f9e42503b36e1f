/**
 * The trigger's versions as display conditions. 1: Outbound Webhook by default (saved
 * workflows keep it). 1.1: the OAuth2 application by default (current portals send
 * click-to-call only to an application), the call history events, typed `call` fields, the
 * record fetch and the application-token setup.
 */
export const TRIGGER_VERSIONS = [1, 1.1];
export const LATEST_TRIGGER_VERSION = 1.1;

export const V1 = { '@version': [1] };
export const V11 = { '@version': [{ _cnd: { gte: 1.1 } }] };

/** Whether a node of this type version has the 1.1 behaviour. */
export function isV11(typeVersion: number): boolean {
	return typeVersion >= 1.1;
}
