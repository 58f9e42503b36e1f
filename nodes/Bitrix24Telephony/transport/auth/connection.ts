/**
 * Which credential a node uses and what the transport must know about it: the portal (the rate
 * limit is per portal), the plan (its limits), and every secret that must never leave the node.
 */
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { Bitrix24Plan } from '../rateLimiter';
import { parseWebhookUrl } from '../../../../shared/webhookUrl';

export type AuthenticationMode = 'webhook' | 'oAuth2';

/** The credential type of each `authentication` choice of the nodes. */
export function credentialTypeOf(mode: AuthenticationMode): string {
	return mode === 'oAuth2' ? 'bitrix24OAuth2Api' : 'bitrix24WebhookApi';
}

/** Every n8n context our transport runs in: actions, pickers, trigger lifecycle, trigger webhook. */
export type Bitrix24Context =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface Connection {
	mode: AuthenticationMode;
	credentialType: string;
	/** `https://portal.bitrix24.com`: the portal, for the rate limiter and for links shown to users. */
	portalUrl: string;
	/**
	 * Whose operating-time budget the requests spend: Bitrix24 counts it per portal and per
	 * application or webhook (docs/bitrix24-fidelity.md row 42). Holds no secret (the webhook code
	 * only as a short hash), so it is safe as a map key.
	 */
	budgetKey: string;
	/** Base URL of REST calls when the credential's `authenticate` does not set one (OAuth2). */
	baseURL?: string;
	plan: Bitrix24Plan;
	/** n8n processes sharing the portal's limit (each keeps to 1/N of it). */
	processes: number;
	redactor: Redactor;
}

/**
 * The decrypted webhook credential, kept beside its connection (never on it, so that it cannot
 * be serialised with it) and handed to n8n with each request: n8n would otherwise decrypt the
 * credential again for every request, which costs about a millisecond each time.
 */
const webhookCredentials = new WeakMap<Connection, ICredentialDataDecryptedObject>();

export function webhookCredentialsOf(
	connection: Connection,
): ICredentialDataDecryptedObject | undefined {
	return webhookCredentials.get(connection);
}

function planOf(credentials: ICredentialDataDecryptedObject): Bitrix24Plan {
	return credentials.plan === 'enterprise' ? 'enterprise' : 'standard';
}

function processesOf(credentials: ICredentialDataDecryptedObject): number {
	const processes = Number(credentials.processes ?? 1);
	return Number.isInteger(processes) && processes >= 1 ? processes : 1;
}

/** FNV-1a, 32 bits: tells webhooks apart without keeping their code in a key. */
function shortHash(text: string): string {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash.toString(16);
}

export function connectionFromCredentials(
	mode: AuthenticationMode,
	credentials: ICredentialDataDecryptedObject,
): Connection {
	if (mode === 'webhook') {
		const webhook = parseWebhookUrl(credentials.webhookUrl);
		const connection: Connection = {
			mode,
			credentialType: credentialTypeOf('webhook'),
			portalUrl: webhook.origin,
			budgetKey: `${webhook.origin}|webhook ${webhook.userId} ${shortHash(webhook.code)}`,
			plan: planOf(credentials),
			processes: processesOf(credentials),
			redactor: new Redactor([webhook.code, String(credentials.webhookUrl ?? '').trim()]),
		};
		webhookCredentials.set(connection, credentials);
		return connection;
	}
	const tokens = (credentials.oauthTokenData ?? {}) as Record<string, unknown>;
	// `client_endpoint` of the token answer follows the portal when its address changes.
	const restBase = restBaseFromEndpoint(tokens.client_endpoint);
	const portalUrl = restBase ? portalOrigin(restBase) : portalOrigin(credentials.portalUrl);
	return {
		mode,
		credentialType: credentialTypeOf('oAuth2'),
		portalUrl,
		budgetKey: `${portalUrl}|app ${String(credentials.clientId ?? '')}`,
		baseURL: restBase ?? `${portalUrl}/rest/`,
		plan: planOf(credentials),
		processes: processesOf(credentials),
		redactor: new Redactor([
			credentials.clientSecret as string,
			credentials.applicationToken as string,
			tokens.access_token as string,
			tokens.refresh_token as string,
			tokens.accessToken as string,
			tokens.refreshToken as string,
		]),
	};
}

export async function resolveConnection(
	ctx: Bitrix24Context,
	mode: AuthenticationMode,
): Promise<Connection> {
	const credentials = await ctx.getCredentials(credentialTypeOf(mode));
	return connectionFromCredentials(mode, credentials);
}

/*
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

/**
 * Keeps secrets out of everything the node lets out: error messages, descriptions, output items.
 * Bitrix24 puts secrets in URLs (the webhook code is a path segment, upload links carry `auth=`
 * and `token=`), so besides the known secret values, URL-shaped secrets are masked by pattern.
 */

const MASK = '***';

const SECRET_PATTERNS: Array<[RegExp, string]> = [
	[/\/rest\/(\d+)\/[^/\s"'?#]+/g, `/rest/$1/${MASK}`],
	[
		/([?&](?:auth|token|access_token|refresh_token|client_secret|application_token)=)[^&\s"'#]+/gi,
		`$1${MASK}`,
	],
	[
		/("(?:access_token|refresh_token|client_secret|application_token)"\s*:\s*")[^"]*"/gi,
		`$1${MASK}"`,
	],
];

export class Redactor {
	private secrets: string[] = [];

	constructor(secrets: Array<string | undefined>) {
		this.add(...secrets);
	}

	/** Secrets learnt later, e.g. the tokens of an OAuth2 refresh. */
	add(...secrets: Array<string | undefined>): void {
		const known = new Set(this.secrets);
		const fresh = secrets.filter(
			(s): s is string => typeof s === 'string' && s.length >= 4 && !known.has(s),
		);
		if (fresh.length === 0) return;
		// Longest first, so that a secret containing another is masked whole.
		this.secrets = [...new Set([...this.secrets, ...fresh])].sort((a, b) => b.length - a.length);
	}

	text(value: string): string {
		let out = value;
		for (const secret of this.secrets) {
			if (out.includes(secret)) out = out.split(secret).join(MASK);
			const encoded = encodeURIComponent(secret);
			if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
		}
		for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
		return out;
	}

	/** Deep copy with every string redacted. */
	value<T>(value: T): T {
		if (typeof value === 'string') return this.text(value) as unknown as T;
		if (Array.isArray(value)) return value.map((v) => this.value(v)) as unknown as T;
		if (value !== null && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const [key, v] of Object.entries(value as Record<string, unknown>))
				out[key] = this.value(v);
			return out as T;
		}
		return value;
	}
}
