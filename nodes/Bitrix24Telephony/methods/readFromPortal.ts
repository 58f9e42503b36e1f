import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { toNodeError } from '../transport/errors';
import { resolveConnection, type AuthenticationMode } from '../transport/auth/connection';
import { Bitrix24Transport, type Bitrix24Envelope } from '../transport/transport';

/**
 * Pickers read through the same transport as the operations (rate limiter, error messages that
 * name a missing scope, redaction). Reads are always safe to repeat.
 */
export async function readFromPortal(
	ctx: ILoadOptionsFunctions,
	method: string,
	params: IDataObject,
): Promise<{ envelope: Bitrix24Envelope; portalUrl: string }> {
	const mode = ctx.getNodeParameter('authentication', 'webhook') as AuthenticationMode;
	const connection = await resolveConnection(ctx, mode);
	const transport = new Bitrix24Transport(ctx, connection, { timeoutMs: 20_000 });
	let envelope: Bitrix24Envelope;
	try {
		envelope = await transport.call(method, params, { idempotent: true });
	} catch (error) {
		throw toNodeError(ctx, error);
	}
	return { envelope, portalUrl: connection.portalUrl };
}
