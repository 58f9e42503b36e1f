/**
 * One HTTP request to Bitrix24, through n8n's `httpRequestWithAuthentication` (the credential's
 * `authenticate` puts the webhook code or the OAuth2 token in), with the answer classified.
 * Never throws: the caller decides what a failure means for retrying.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import { webhookCredentialsOf, type Bitrix24Context, type Connection } from './auth/connection';
import type { TransportRequest } from './auth/oauth';
import {
	classifyAnswer,
	networkFailure,
	type Bitrix24Envelope,
	type HttpResponse,
} from './classify';
import type { Bitrix24Failure } from './errors';

const USER_AGENT = 'n8n-nodes-bitrix24-telephony';

export async function sendOnce(
	ctx: Bitrix24Context,
	connection: Connection,
	timeoutMs: number,
	method: string,
	request: TransportRequest,
	signal: AbortSignal | undefined,
): Promise<Bitrix24Envelope | Bitrix24Failure> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		...request,
		headers: { Accept: 'application/json', 'User-Agent': USER_AGENT, ...(request.headers ?? {}) },
		returnFullResponse: true,
		// Bitrix24's errors are read from the body whatever the status; n8n must not throw first
		// (it would also re-send any request answered 401).
		ignoreHttpStatusErrors: true,
		// An old portal address answers 302 to the new one: never carry the webhook code there.
		disableFollowRedirect: true,
		encoding: 'text',
		timeout: timeoutMs,
	};
	if (options.baseURL === undefined && connection.baseURL !== undefined)
		options.baseURL = connection.baseURL;
	if (signal) options.abortSignal = signal;
	// Webhook: the credential this execution already read (OAuth2: n8n reads the current tokens).
	const data = webhookCredentialsOf(connection);
	const credentials = data
		? { credentialsDecrypted: { id: '', name: '', type: connection.credentialType, data } }
		: undefined;
	let response: HttpResponse;
	try {
		response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			connection.credentialType,
			options,
			credentials,
		)) as HttpResponse;
	} catch (error) {
		return networkFailure(connection, method, error, signal);
	}
	return classifyAnswer(connection.redactor, method, response);
}
