/**
 * The /rest/ endpoint: picks a fault, reads and logs the request, applies the rate limit (one per
 * HTTP request, batch included), runs the method and writes the Bitrix24 envelope.
 */
import { authenticateOAuth, authenticateWebhook } from './auth';
import { processCall } from './dispatch';
import { errorEnvelope } from './envelope';
import { internalServerError, operationTimeLimit, queryLimitExceeded, RestError } from './errors';
import { type Exchange, sendTooLarge } from './exchange';
import type { Fault } from './faults';
import type { InvokeOutcome } from './methods/context';
import { jsonReply, maintenancePage, rawReply, Reply } from './reply';
import { readBody } from './request-body';
import { ParsedRequest, parseRequest } from './request-parsing';
import { accessTokenOf, logParsedRequest, logRoute, parseRestPath, RestRoute } from './rest-route';
import type { SandboxRuntime } from './runtime';
import type { LoggedRequest } from './types';
import { gatewayTimeoutPage, RequestCutOff } from './server-time';

export async function handleRest(exchange: Exchange): Promise<void> {
	const { runtime, req, res, url, entry } = exchange;
	const route = parseRestPath(url.pathname);
	logRoute(entry, route, url.pathname);

	const fault = runtime.faults.pick();
	if (fault) entry.fault = fault.kind === 'raw' ? `raw ${fault.raw.status}` : fault.kind;
	if (fault?.kind === 'dropBeforeProcessing') {
		req.socket.destroy();
		return;
	}

	const body = await readBody(req);
	if (body === null) return sendTooLarge(exchange);
	const parsed = parseRequest(url.search.slice(1), req.headers['content-type'], body);
	const accessToken = accessTokenOf(req, parsed);
	logParsedRequest(entry, route, parsed, accessToken);

	const reply =
		(fault && immediateFaultReply(runtime, fault)) ||
		(await processRest(exchange, route, parsed, accessToken).catch((error: unknown) =>
			cutOffReply(runtime, entry, error),
		));
	if (reply === null) {
		// Cut off with `cutOffAnswer: 'drop'`: the connection closes without an answer.
		res.socket?.destroy();
		return;
	}
	if (fault?.kind === 'dropConnection') {
		entry.status = reply.status;
		entry.response = reply.logged;
		res.socket?.destroy();
		return;
	}
	if (fault?.kind === 'hang') await exchange.sleep(runtime.faults.hangMs);
	return exchange.send(reply);
}

/**
 * The request passed the 60-second limit (server-time.ts): what ran before the cut-off stays done;
 * the client gets the frontend's 504 page, or nothing (null) with `cutOffAnswer: 'drop'`.
 */
function cutOffReply(
	runtime: SandboxRuntime,
	entry: LoggedRequest,
	error: unknown,
): Promise<Reply | null> {
	if (!(error instanceof RequestCutOff)) return Promise.reject(error);
	entry.fault = 'requestTimeLimit';
	const options = runtime.settings.serverTime;
	return Promise.resolve(options && options.cutOffAnswer === 'drop' ? null : gatewayTimeoutPage());
}

/** Rate limit (one per HTTP request, batch included), then the call itself. */
async function processRest(
	{ runtime, req, entry }: Exchange,
	route: RestRoute,
	parsed: ParsedRequest,
	accessToken: string,
): Promise<Reply> {
	if (
		runtime.rateLimiter &&
		!runtime.rateLimiter.tryAcquire(req.socket.remoteAddress ?? 'unknown')
	) {
		runtime.limitStats.rejected503++;
		return errorReply(runtime, queryLimitExceeded());
	}
	runtime.limitStats.accepted++;
	const outcome = await processCall(runtime, {
		method: route.method,
		params: parsed.params,
		files: parsed.files,
		startedAt: entry.time,
		span: { startedAt: entry.time },
		authenticate: (scope) =>
			route.webhook
				? authenticateWebhook(runtime, route.webhook.userSegment, route.webhook.code, scope)
				: authenticateOAuth(runtime, accessToken, scope),
	});
	return outcomeReply(runtime, outcome);
}

/** {result, next?, total?, time?} or the error envelope. */
function outcomeReply(runtime: SandboxRuntime, outcome: InvokeOutcome): Reply {
	if (!outcome.ok) return errorReply(runtime, outcome.error);
	const envelope: Record<string, unknown> = { result: outcome.result };
	if (outcome.next !== undefined) envelope.next = outcome.next;
	if (outcome.total !== undefined) envelope.total = outcome.total;
	if (outcome.time !== undefined) envelope.time = outcome.time;
	return jsonReply(200, envelope);
}

function errorReply(runtime: SandboxRuntime, error: RestError): Reply {
	return jsonReply(error.status, errorEnvelope(error, runtime.settings.errorCodeStyle));
}

/** Faults answered instead of processing; null for the ones that process first. */
function immediateFaultReply(runtime: SandboxRuntime, fault: Fault): Reply | null {
	switch (fault.kind) {
		case 'queryLimit':
			return errorReply(runtime, queryLimitExceeded());
		case 'serverError':
			return errorReply(runtime, internalServerError());
		case 'operationTimeLimit':
			return errorReply(runtime, operationTimeLimit());
		case 'htmlPage':
			return maintenancePage();
		case 'raw':
			return rawReply(fault.raw.status, fault.raw.body, fault.raw.headers);
		default:
			return null;
	}
}
