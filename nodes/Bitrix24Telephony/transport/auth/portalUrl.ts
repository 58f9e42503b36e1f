/**
 * Portal addresses, pure: the portal's origin (the rate limit and links are per portal) and the
 * base of REST calls. Shared by the connection and the OAuth2 session, so that both compute the
 * REST base the same way.
 */

/** `https://Portal.Example.com/some/path` → `https://portal.example.com`. */
export function portalOrigin(raw: unknown): string {
	const cleaned = String(raw ?? '')
		.trim()
		.replace(/\s+/g, '');
	const withScheme = /^https?:\/\//i.test(cleaned) ? cleaned : `https://${cleaned}`;
	const match = /^(https?):\/\/([^/?#]+)/i.exec(withScheme);
	return match ? `${match[1].toLowerCase()}://${match[2].toLowerCase()}` : '';
}

/** `https://portal/rest/` from a token answer's `client_endpoint`, if it is a usable URL. */
export function restBaseFromEndpoint(endpoint: unknown): string | undefined {
	const value = typeof endpoint === 'string' ? endpoint.trim() : '';
	if (!/^https?:\/\/[^/?#\s]+/i.test(value)) return undefined;
	return value.endsWith('/') ? value : `${value}/`;
}

/**
 * The base of OAuth2 REST calls: the token answer's `client_endpoint` (it follows a portal whose
 * address changed), else `<portal>/rest/`; undefined when neither is known.
 */
export function oauthRestBase(clientEndpoint: unknown, portalUrl: string): string | undefined {
	return restBaseFromEndpoint(clientEndpoint) ?? (portalUrl ? `${portalUrl}/rest/` : undefined);
}
