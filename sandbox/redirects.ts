/**
 * Domain-change simulation: an old portal address answers 302 for REST
 * calls, and expired self-hosted licences redirect to coupon_activation.php forever.
 */
import type { SandboxRedirects } from './types';

const COUPON_ACTIVATION_PATH = '/bitrix/coupon_activation.php';

interface RedirectRule {
	pathPrefix: string;
	location: string;
}

export class RedirectRules implements SandboxRedirects {
	private rules: RedirectRule[] = [];

	constructor(private readonly baseUrl: () => string) {}

	set(pathPrefix: string, location: string): void {
		this.rules = this.rules.filter((rule) => rule.pathPrefix !== pathPrefix);
		this.rules.push({ pathPrefix, location });
	}

	clear(): void {
		this.rules = [];
	}

	/** The Location to answer with, or null when the request is served normally. */
	locationFor(pathname: string, search: string): string | null {
		if (pathname === COUPON_ACTIVATION_PATH)
			return `${this.baseUrl()}${COUPON_ACTIVATION_PATH}${search}`;
		const rule = this.rules.find((candidate) =>
			candidate.pathPrefix === '*'
				? pathname.startsWith('/rest/')
				: pathname.startsWith(candidate.pathPrefix),
		);
		if (!rule) return null;
		if (rule.location === 'loop') {
			return `${this.baseUrl()}${COUPON_ACTIVATION_PATH}?back_url=${encodeURIComponent(pathname + search)}`;
		}
		const target = new URL(rule.location);
		const isOrigin =
			target.pathname === '/' && !rule.location.endsWith('/') && target.search === '';
		return isOrigin ? `${target.origin}${pathname}${search}` : rule.location;
	}
}
