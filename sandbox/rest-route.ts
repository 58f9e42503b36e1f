/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * What a /rest/ request names before any processing: the method, the webhook credential in the
 * path or the OAuth token, and the row the request log keeps of it (webhook code masked,
 * files as digests, the methods inside a batch).
 */
import type * as http from 'http';
import { splitCommand } from './methods/batch';
import { isPhpArray, Params, phpArrayValues, phpString } from './php-values';
import type { ParsedRequest } from './request-parsing';
import type { LoggedRequest } from './types';

export interface RestRoute {
	/** Lowercase method name without ".json"; "" when the path has no method. */
	method: string;
	webhook: { userSegment: string; code: string } | null;
}

/** /rest/{userId}/{code}/{method} or /rest/{method}; ".json" and a trailing slash are optional. */
export function parseRestPath(pathname: string): RestRoute {
	const segments = pathname
		.slice('/rest/'.length)
		.split('/')
		.filter((segment) => segment !== '')
		.map(safeDecode);
	const methodOf = (segment: string) => segment.replace(/\.json$/i, '').toLowerCase();
	if (segments.length === 3)
		return {
			method: methodOf(segments[2]),
			webhook: { userSegment: segments[0], code: segments[1] },
		};
	if (segments.length === 1) return { method: methodOf(segments[0]), webhook: null };
	return { method: '', webhook: null };
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}

/**
 * rest ≥ 20 (oauth/auth.php getAuthKey): the Bearer header first, then `auth`, then
 * `access_token`; rest ≤ 17 reads only the parameters. "" when none is sent.
 */
export function accessTokenOf(req: http.IncomingMessage, parsed: ParsedRequest): string {
	const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1];
	const param = (name: string) =>
		typeof parsed.params[name] === 'string' ? (parsed.params[name] as string) : undefined;
	return bearer ?? param('auth') ?? param('access_token') ?? '';
}

/** Marks a webhook request in the log, with the code in its path masked. */
export function logRoute(entry: LoggedRequest, route: RestRoute, pathname: string): void {
	entry.restMethod = route.method;
	if (route.webhook) {
		entry.auth = 'webhook';
		entry.path = pathname.replace(/^(\/rest\/[^/]+\/)[^/]+/, '$1***');
	}
}

export function logParsedRequest(
	entry: LoggedRequest,
	route: RestRoute,
	parsed: ParsedRequest,
	accessToken: string,
): void {
	entry.params = parsed.params;
	if (!route.webhook && accessToken !== '') entry.auth = 'oauth';
	if (parsed.files.length > 0) {
		entry.files = parsed.files.map((file) => ({
			field: file.field,
			filename: file.filename,
			size: file.digest.size,
			sha256: file.digest.finish().sha256,
		}));
	}
	if (route.method === 'batch') entry.batchCommands = batchCommandMethods(parsed.params);
}

function batchCommandMethods(params: Params): string[] {
	const key = Object.keys(params).find((candidate) => candidate.toUpperCase() === 'CMD');
	const commands = key === undefined ? undefined : params[key];
	if (!isPhpArray(commands)) return [];
	return phpArrayValues(commands)
		.filter((command): command is string => typeof command === 'string')
		.map((command) => splitCommand(phpString(command)).method);
}
