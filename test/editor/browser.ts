/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Debian's Chromium driven by playwright-core: no browser is downloaded (there is no network for
 * it), the binary comes from `apt-get install chromium`. Every launch gets a fresh profile, and the
 * flags keep Chromium from calling home (on a closed network those connections are refused and
 * slow everything down). Only 127.0.0.1 is ever visited.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import { CHROMIUM_PATH } from '../../scripts/n8n-runtime/chromium';
import { chromium, selectors, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/** Wide enough for the node panel's three columns, small enough for README screenshots. */
export const VIEWPORT = { width: 1360, height: 820 };

export interface EditorBrowser {
	context: BrowserContext;
	page: Page;
	close(): Promise<void>;
}

export async function launchBrowser(): Promise<EditorBrowser> {
	if (!fs.existsSync(CHROMIUM_PATH))
		throw new Error(
			`No Chromium at ${CHROMIUM_PATH}: install Debian's (apt-get install -y chromium) or set CHROMIUM_PATH`,
		);
	// n8n marks its editor with data-test-id (Playwright's default is data-testid).
	selectors.setTestIdAttribute('data-test-id');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-editor-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: CHROMIUM_FLAGS,
		viewport: VIEWPORT,
		// The canvas's copy and paste of workflows goes through the clipboard.
		permissions: ['clipboard-read', 'clipboard-write'],
	});
	const page = context.pages()[0] ?? (await context.newPage());
	// Anything but loopback is a mistake of the test (or of n8n calling home): refuse it.
	await context.route(
		(url) => !['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:',
		(route) => route.abort('blockedbyclient'),
	);
	return {
		context,
		page,
		close: async () => {
			await context.close();
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}
