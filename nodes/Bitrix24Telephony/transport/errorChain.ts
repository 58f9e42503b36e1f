/**
 * n8n and axios nest the error that matters (a socket error, a token server's answer) a few
 * levels deep, under `cause` (and, for n8n's NodeApiError, `errorResponse`). These helpers walk
 * that chain, in one place for the REST transport and the OAuth2 refresh.
 */

/** How deep to look: n8n wraps at most three or four times; a cycle must not loop forever. */
const MAX_DEPTH = 6;

export type ChainLink = Record<string, unknown>;

/** The error and what it wraps, outermost first. `next` picks the wrapped error of a link. */
export function errorChain(
	error: unknown,
	next: (link: ChainLink) => unknown = (link) => link.cause,
): ChainLink[] {
	const chain: ChainLink[] = [];
	let current: unknown = error;
	for (let depth = 0; depth < MAX_DEPTH && current && typeof current === 'object'; depth++) {
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
export function findErrorCode(error: unknown): string | undefined {
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

/**
 * A Node socket error code (`ECONNREFUSED`, …) anywhere in the chain. `EAUTH` is not one: the
 * OAuth client uses it for a refused grant.
 */
export function findSocketCode(error: unknown): string | undefined {
	const link = errorChain(error).find(
		(e) => typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code) && e.code !== 'EAUTH',
	);
	return link?.code as string | undefined;
}

/** What happened, in our words (n8n's generic texts advise retrying, which may be wrong here). */
const NETWORK_REASONS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before Bitrix24 answered',
	EPIPE: 'the connection was closed while sending',
	ETIMEDOUT: 'no answer came within the timeout',
	ECONNABORTED: 'no answer came within the timeout',
	ECONNREFUSED: 'the portal refused the connection',
	ENOTFOUND: "the portal's host name was not found",
	EAI_AGAIN: "the portal's host name could not be resolved",
};

export function describeNetworkError(error: unknown, code: string): string {
	if (NETWORK_REASONS[code]) return `${NETWORK_REASONS[code]} (${code})`;
	const message = (error as { message?: unknown })?.message;
	return typeof message === 'string' && message ? `${message} (${code})` : code;
}

/** An error's own message, or `''`. */
export function messageOf(error: unknown): string {
	const message = (error as { message?: unknown } | undefined)?.message;
	return typeof message === 'string' ? message : '';
}
