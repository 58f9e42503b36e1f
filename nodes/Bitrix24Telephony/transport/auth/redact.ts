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
