/**
 * The inbound-webhook URL is the whole credential: `https://PORTAL/rest/USER_ID/CODE/`. Users paste
 * it in many shapes (the "REST call example" Bitrix24 shows ends with `profile/` or `profile.json`,
 * copy-paste adds spaces), so it is normalised here, in one place, for the credential and the node
 * (shared/ holds what both import: credentials depend on nothing inside nodes/).
 */

export interface ParsedWebhookUrl {
	/** `https://PORTAL/rest/USER_ID/CODE/`: the base every method name is appended to. */
	baseUrl: string;
	/** `https://PORTAL`: identifies the portal (rate limits are per portal). */
	origin: string;
	userId: string;
	/** The secret. Never shown, logged or returned. */
	code: string;
}

export const WEBHOOK_URL_SHAPE = 'https://your-portal.bitrix24.com/rest/1/xxxxxxxxxxxxxxxx/';

// `<prefix>/rest/<user id>/<code>[/<method>[.json]][/]`; a self-hosted portal may live under a path.
const WEBHOOK_PATH = /^(.*?)\/rest\/(\d+)\/([^/?#]+)(?:\/[^/?#]*)?\/?$/;

export class InvalidWebhookUrlError extends Error {}

/** Shows the shape of what was pasted with the secret part masked, for error messages. */
export function maskWebhookUrl(raw: string): string {
	const cleaned = String(raw ?? '').replace(/\s+/g, '');
	const match = /^(https?:\/\/[^/?#]*)(\/.*)?$/i.exec(cleaned);
	if (!match) return cleaned.length > 0 ? '(not a URL)' : '(empty)';
	const path = (match[2] ?? '').replace(/\/rest\/(\d+)\/[^/?#]+/, '/rest/$1/***');
	// Anything after /rest/<id>/ may still be secret if the shape is unusual: keep only the host.
	return /\/rest\/\d+\/\*\*\*/.test(path)
		? `${match[1]}${path.replace(/[?#].*$/, '')}`
		: `${match[1]}/…`;
}

export function parseWebhookUrl(raw: unknown): ParsedWebhookUrl {
	const cleaned = String(raw ?? '').replace(/\s+/g, '');
	const fail = (why: string): never => {
		throw new InvalidWebhookUrlError(
			`${why} Paste the inbound webhook URL exactly as Bitrix24 shows it, in the shape ${WEBHOOK_URL_SHAPE} (you entered ${maskWebhookUrl(cleaned)}).`,
		);
	};
	if (cleaned === '') fail('The webhook URL is empty.');
	const url = /^(https?):\/\/([^/?#]+)(\/[^?#]*)?/i.exec(cleaned);
	if (!url) fail('The webhook URL must start with https:// (or http:// for a self-hosted portal).');
	const [, scheme, host, path = '/'] = url as RegExpExecArray;
	const parts = WEBHOOK_PATH.exec(path);
	if (!parts) fail('The webhook URL must contain /rest/<user id>/<code>/.');
	const [, prefix, userId, code] = parts as RegExpExecArray;
	const origin = `${scheme.toLowerCase()}://${host.toLowerCase()}`;
	return { baseUrl: `${origin}${prefix}/rest/${userId}/${code}/`, origin, userId, code };
}
