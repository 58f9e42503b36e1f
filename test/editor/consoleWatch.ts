/**
 * What the browser reports while the editor is walked: console errors, uncaught page errors and
 * failed requests. Each is sorted into "ours" (the test fails) or n8n's own noise (recorded, with
 * the reason it is n8n's). The noise rules are narrow on purpose: a message that matches none of
 * them and names our package fails the suite; one that names nothing of ours is recorded as
 * "unexplained" and printed, so that a new kind of noise is seen without making the suite flaky.
 */
import type { ConsoleMessage, Page, Response } from 'playwright-core';

/** Names by which a message or URL points at this package. */
const OURS =
	/n8n-nodes-bitrix24-telephony|bitrix24Telephony|bitrix24(Webhook|OAuth2|OutboundWebhook)Api/i;

interface NoiseRule {
	reason: string;
	matches(entry: BrowserProblem): boolean;
}

export interface BrowserProblem {
	kind: 'console' | 'pageerror' | 'response';
	text: string;
	url: string;
	step: string;
}

const NOISE: NoiseRule[] = [
	{
		// The editor asks "am I logged in?" before the owner exists or signs in.
		reason: 'n8n: GET /rest/login answers 401 before sign-in',
		matches: (entry) => /\/rest\/login$/.test(entry.url) && /\b401\b/.test(entry.text),
	},
	{
		// The suite refuses every request off 127.0.0.1 (launchBrowser): n8n calling home, e.g.
		// api.n8n.io after owner setup, or registry.npmjs.org for a community node's details.
		reason: 'n8n: a request off 127.0.0.1, refused by the suite',
		matches: (entry) =>
			/ERR_BLOCKED_BY_CLIENT/.test(entry.text) &&
			!/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(entry.url),
	},
];

/**
 * Output schemas: the editor asks `/schemas/<package>/<version>/<resource>/<operation>.json` to
 * preview a node's output before it ran. The package ships none yet (issue 20, section 3.13), so
 * the 404 is recorded as a known gap; once the package has a `__schema__` folder, it fails.
 */
export function schemaRule(packageShipsSchemas: boolean): NoiseRule {
	return {
		reason: 'known gap: the package ships no output schemas (issue 20, section 3.13)',
		matches: (entry) =>
			!packageShipsSchemas &&
			/\/schemas\/n8n-nodes-bitrix24-telephony\./.test(entry.url) &&
			/\b404\b/.test(entry.text),
	};
}

export class ConsoleWatch {
	readonly ours: BrowserProblem[] = [];
	readonly noise: Array<BrowserProblem & { reason: string }> = [];
	readonly unexplained: BrowserProblem[] = [];
	/** The walk's current step, so that each problem says where it happened. */
	step = 'start';

	constructor(private readonly extraRules: NoiseRule[] = []) {}

	attach(page: Page): void {
		page.on('console', (message: ConsoleMessage) => {
			if (message.type() !== 'error') return;
			this.add({ kind: 'console', text: message.text(), url: message.location().url ?? '' });
		});
		page.on('pageerror', (error: Error) => {
			this.add({ kind: 'pageerror', text: `${error.message}\n${error.stack ?? ''}`, url: '' });
		});
		page.on('response', (response: Response) => {
			if (response.status() < 400) return;
			// Failed requests also log a console error; this entry gives the method and status.
			this.add({
				kind: 'response',
				text: `${response.request().method()} ${response.status()}`,
				url: response.url(),
			});
		});
	}

	/** Problems of ours since the last call, for the step that just ended. */
	takeOurs(): BrowserProblem[] {
		return this.ours.splice(0);
	}

	report(): string {
		const lines = [
			...this.noise.map(
				(entry) => `noise (${entry.reason}) [${entry.step}] ${describeProblem(entry)}`,
			),
			...this.unexplained.map((entry) => `UNEXPLAINED [${entry.step}] ${describeProblem(entry)}`),
		];
		return lines.join('\n');
	}

	private add(problem: Omit<BrowserProblem, 'step'>): void {
		const entry = { ...problem, step: this.step };
		const rule = [...NOISE, ...this.extraRules].find((candidate) => candidate.matches(entry));
		if (rule) this.noise.push({ ...entry, reason: rule.reason });
		else if (OURS.test(entry.text) || OURS.test(entry.url)) this.ours.push(entry);
		else this.unexplained.push(entry);
	}
}

export function describeProblem(problem: BrowserProblem): string {
	return `${problem.kind}: ${problem.text.split('\n')[0]}${problem.url ? ` (${problem.url})` : ''}`;
}
