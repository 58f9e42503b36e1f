/**
 * /oauth/token/ and /oauth/authorize/ (a trailing slash optional): reads the parameters like any
 * request and hands them to the sandbox's OAuth server. Returns false for any other path.
 */
import { type Exchange, sendTooLarge } from './exchange';
import { readBody } from './request-body';
import { parseRequest } from './request-parsing';

const ENDPOINTS: Record<string, 'oauth.token' | 'oauth.authorize'> = {
	'/oauth/token': 'oauth.token',
	'/oauth/authorize': 'oauth.authorize',
};

export async function handleOAuthEndpoint(exchange: Exchange): Promise<boolean> {
	const { runtime, req, url, entry } = exchange;
	const endpoint = ENDPOINTS[url.pathname.replace(/\/$/, '')];
	if (endpoint === undefined) return false;
	const body = await readBody(req);
	if (body === null) {
		await sendTooLarge(exchange);
		return true;
	}
	const { params } = parseRequest(url.search.slice(1), req.headers['content-type'], body);
	entry.params = params;
	entry.restMethod = endpoint;
	await exchange.send(
		endpoint === 'oauth.token'
			? runtime.oauth.handleToken(params, req.headers.authorization)
			: runtime.oauth.handleAuthorize(params),
	);
	return true;
}
