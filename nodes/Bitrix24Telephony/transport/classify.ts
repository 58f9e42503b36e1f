/**
 * What came back from one request, or what a thrown error means. Bitrix24 signals errors by an
 * `error` key, whatever the HTTP status; a redirect, an HTML page or a lost connection each mean
 * something different for whether the request may be repeated (see `FailureKind`). n8n and axios
 * nest the error that matters (a socket error, a token server's answer) under `cause` (and, for
 * n8n's NodeApiError, `errorResponse`); `errorChain` walks it.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Connection, Redactor } from './auth/connection';
import {
	Bitrix24Failure,
	describeNetworkError,
	explainBitrix24Error,
	type FailureDetails,
} from './errors';

export interface Bitrix24Envelope {
	result: unknown;
	time?: IDataObject;
	total?: number;
	next?: number;
}

export interface HttpResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** Network error codes meaning the request never reached the server. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * A Bitrix24 error answer `{error, error_description}`, from a whole response or from one
 * command of a batch (`result_error`).
 */
export function failureFromAnswer(
	redactor: Redactor,
	method: string,
	answer: unknown,
	httpCode: number,
): Bitrix24Failure {
	const body = (answer ?? {}) as IDataObject;
	const code = String(body.error ?? '');
	const reason = redactor.text(String(body.error_description ?? ''));
	const explained = explainBitrix24Error(method, code, reason, httpCode);
	const resetAt = Number((body.time as IDataObject | undefined)?.operating_reset_at);
	return new Bitrix24Failure({
		...explained,
		message: redactor.text(explained.message),
		method,
		code,
		reason,
		httpCode,
		...(Number.isFinite(resetAt) ? { operatingResetAt: resetAt } : {}),
	});
}

/** The request threw: it never left, it was cancelled, or its answer was lost. */
export function networkFailure(
	connection: Connection,
	method: string,
	error: unknown,
	signal: AbortSignal | undefined,
): Bitrix24Failure {
	const code = findErrorCode(error) ?? 'NETWORK_ERROR';
	const reason = connection.redactor.text(describeNetworkError(error, code));
	if (signal?.aborted || code === 'ERR_CANCELED') {
		return new Bitrix24Failure({
			kind: 'cancelled',
			method,
			code: 'CANCELLED',
			reason,
			message: 'The execution was cancelled',
			description: 'The request to Bitrix24 was aborted.',
		});
	}
	const defect = code === 'NETWORK_ERROR' ? findProgrammingError(error) : undefined;
	if (defect) {
		return new Bitrix24Failure({
			kind: 'defect',
			method,
			code: String(defect.name),
			reason: connection.redactor.text(String(defect.message)),
			message: `The request to Bitrix24 could not be made (${method})`,
			description: `${String(defect.name)}: ${connection.redactor.text(String(defect.message))}. This is a programming error in n8n or in this node, not a network problem, so the request was not repeated. Please report it.`,
		});
	}
	const notSent = NOT_SENT.has(code);
	return new Bitrix24Failure({
		kind: notSent ? 'notSent' : 'unknownOutcome',
		method,
		code,
		reason,
		// The code goes into the description: n8n replaces any message that contains a socket
		// error code (ECONNREFUSED, …) with its own generic text.
		message: notSent
			? 'Could not reach the Bitrix24 portal'
			: `The connection to Bitrix24 failed during ${method}`,
		description: notSent
			? `${code}: check the portal address in the credential (${connection.portalUrl}) and that n8n can reach it.`
			: `${code}: the request was sent but no complete answer came back (the connection dropped or timed out).`,
	});
}

/** An HTTP answer: the envelope of a successful call, or why it failed. */
export function classifyAnswer(
	redactor: Redactor,
	method: string,
	response: HttpResponse,
): Bitrix24Envelope | Bitrix24Failure {
	const status = Number(response.statusCode);
	const text =
		typeof response.body === 'string' ? response.body : JSON.stringify(response.body ?? '');
	const fail = (details: Omit<FailureDetails, 'method' | 'httpCode'>) =>
		new Bitrix24Failure({
			...details,
			method,
			httpCode: status,
			reason: redactor.text(details.reason),
		});

	if (status >= 300 && status < 400) {
		const location = String(response.headers?.location ?? '');
		const target = /^https?:\/\/[^/?#]+/i.exec(location)?.[0] ?? '';
		const licence = location.includes('coupon_activation');
		return fail({
			kind: 'wrongEndpoint',
			code: `HTTP_${status}`,
			reason: `Redirect to ${target || 'another address'}`,
			message: licence
				? 'The Bitrix24 portal redirects to its licence activation page'
				: `The Bitrix24 portal redirected the request${target ? ` to ${redactor.text(target)}` : ''}`,
			description: licence
				? 'The licence of this self-hosted portal has expired; the REST API is unavailable until it is renewed.'
				: 'The portal address has probably changed. Put the new address into the credential. The redirect was not followed, so that the credential is never sent to another host.',
		});
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		const gateway = status >= 500;
		return fail({
			kind: gateway ? 'unknownOutcome' : 'wrongEndpoint',
			code: `HTTP_${status}`,
			reason: `Non-JSON answer (HTTP ${status}): ${text.replace(/\s+/g, ' ').slice(0, 120)}`,
			message: gateway
				? `The Bitrix24 portal answered HTTP ${status} with an error page instead of the REST API`
				: `The address in the credential did not answer like the Bitrix24 REST API (HTTP ${status}, not JSON)`,
			description: gateway
				? 'The portal may be under maintenance or overloaded.'
				: 'Check the portal address in the credential: the portal may have been renamed or deleted, or the URL does not point to Bitrix24.',
		});
	}
	const body = parsed as IDataObject;
	if ('error' in body) return failureFromAnswer(redactor, method, body, status);
	if (status >= 400) {
		return fail({
			kind: status >= 500 ? 'unknownOutcome' : 'rejected',
			code: `HTTP_${status}`,
			reason: `HTTP ${status}`,
			message: `Bitrix24 answered HTTP ${status} to ${method}`,
			description: 'The answer carried no error description.',
		});
	}
	return body as unknown as Bitrix24Envelope;
}

export type ChainLink = Record<string, unknown>;

/**
 * The error and what it wraps, outermost first; `next` picks the wrapped error of a link. Six
 * deep: n8n wraps at most three or four times, and a cycle must not loop forever.
 */
export function errorChain(
	error: unknown,
	next: (link: ChainLink) => unknown = (link) => link.cause,
): ChainLink[] {
	const chain: ChainLink[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
		chain.push(current as ChainLink);
		current = next(current as ChainLink);
	}
	return chain;
}

/**
 * The socket error code (`ECONNRESET`, …). Codes are searched through the whole chain first:
 * n8n rewrites messages into prose ("…the connection was aborted…") that must not be mistaken
 * for a cancellation.
 */
function findErrorCode(error: unknown): string | undefined {
	const chain = errorChain(error);
	const coded = chain.find((e) => typeof e.code === 'string' && /^E[A-Z_]+$|^ERR_/.test(e.code));
	if (coded) return coded.code as string;
	for (const { message } of chain) {
		if (typeof message !== 'string') continue;
		if (/timeout of \d+ms exceeded/i.test(message)) return 'ETIMEDOUT';
		if (/socket hang up/i.test(message)) return 'ECONNRESET';
	}
	return undefined;
}

/** JavaScript's own errors for broken code; a network error always carries a code instead. */
const PROGRAMMING_ERRORS = new Set(['TypeError', 'ReferenceError', 'RangeError']);

/**
 * A TypeError & co. that n8n's request helper threw (n8n wraps it in a NodeApiError), when no
 * network code is anywhere in the chain: repeating the same call would fail the same way.
 */
function findProgrammingError(error: unknown): ChainLink | undefined {
	return errorChain(error).find(
		(link) => link instanceof Error && PROGRAMMING_ERRORS.has(link.name),
	);
}
