/**
 * The one door from both trigger nodes into the action node's code (nodes/Bitrix24Telephony).
 * Everything the triggers need from it — which credential a mode uses, a REST client with the
 * action node's rate limiter, retries and redaction, the one error conversion, CRM links — is
 * imported here and nowhere else in the trigger folders, so a refactor of the action node
 * changes this file only.
 */
import type {
	IDataObject,
	IHookFunctions,
	IPollFunctions,
	IWebhookFunctions,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { crmEntityUrl as actionCrmEntityUrl } from '../Bitrix24Telephony/actions/read';
import {
	credentialTypeOf as actionCredentialTypeOf,
	resolveConnection,
	type Bitrix24Context,
} from '../Bitrix24Telephony/transport/auth/connection';
import { toNodeError as actionToNodeError } from '../Bitrix24Telephony/transport/errors';
import { Bitrix24Transport } from '../Bitrix24Telephony/transport/transport';

/** How a node reaches the portal's REST API: inbound webhook or OAuth2 application. */
export type PortalMode = 'webhook' | 'oAuth2';

/** Every n8n context the triggers call Bitrix24 from. */
export type PortalContext = IHookFunctions | IWebhookFunctions | IPollFunctions;

/** One answer of a REST method: Bitrix24's `result` and its paging fields. */
export interface PortalAnswer {
	result: unknown;
	next?: number;
	total?: number;
}

export interface PortalClient {
	/** `https://portal.bitrix24.com`, for links shown to users. */
	readonly portalUrl: string;
	/** A read (or a repeatable write): the transport may resend it after a lost answer. */
	call(method: string, params: IDataObject): Promise<PortalAnswer>;
}

/** The credential type behind each REST mode. */
export function credentialTypeOf(mode: PortalMode): string {
	return actionCredentialTypeOf(mode);
}

/**
 * A client for the credential of `mode`. A poll context has every member the transport uses
 * (credentials, node, `helpers.httpRequestWithAuthentication` and `refreshOAuth2Token`), but the
 * action node's context type does not list it yet, hence the one cast.
 */
export async function openPortal(ctx: PortalContext, mode: PortalMode): Promise<PortalClient> {
	const context = ctx as Bitrix24Context;
	const transport = new Bitrix24Transport(context, await resolveConnection(context, mode));
	return {
		portalUrl: transport.connection.portalUrl,
		call: async (method, params) => await transport.call(method, params, { idempotent: true }),
	};
}

/** Bitrix24's refusals as NodeApiError with its code and words, anything else as NodeOperationError. */
export function toNodeError(
	ctx: Pick<PortalContext, 'getNode'>,
	error: unknown,
): NodeApiError | NodeOperationError {
	return actionToNodeError(ctx, error);
}

/** The CRM record's page on the portal, when the type and id name one. */
export function crmEntityUrl(portalUrl: string, type: unknown, id: unknown): string | undefined {
	return actionCrmEntityUrl(portalUrl, type, id);
}
