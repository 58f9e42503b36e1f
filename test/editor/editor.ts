/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The n8n editor as a user drives it, by n8n's data-test-id attributes and our parameters'
 * display names (never by CSS classes or positions). Every wait is for an element or a response.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

import type { Locator, Page } from 'playwright-core';

import { REPO_ROOT } from '../../scripts/n8n-runtime/pack';

export const OWNER = {
	email: 'owner@editor.test',
	firstName: 'Olga',
	lastName: 'Owner',
	password: 'Editor-test-1',
};

/**
 * Every step's screenshot goes to a temp folder; EDITOR_SCREENSHOTS=docs/images also writes the
 * README's few (by name) there.
 */
export class Screenshots {
	readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'b24-editor-screenshots-'));
	private readonly readmeDir = process.env.EDITOR_SCREENSHOTS
		? path.resolve(REPO_ROOT, process.env.EDITOR_SCREENSHOTS)
		: undefined;
	private count = 0;

	constructor(private readonly page: Page) {}

	async take(name: string, readmeName?: string): Promise<void> {
		// A README screenshot shows the panel, not the toast of the step before it.
		if (readmeName) await dismissNotifications(this.page);
		this.count++;
		const file = path.join(this.dir, `${String(this.count).padStart(2, '0')}-${name}.png`);
		await this.page.screenshot({ path: file });
		if (readmeName && this.readmeDir) {
			// JPEG: `n8n-node build` copies every PNG and SVG of the repository into dist/.
			fs.mkdirSync(this.readmeDir, { recursive: true });
			await this.page.screenshot({
				path: path.join(this.readmeDir, readmeName),
				type: 'jpeg',
				quality: 80,
			});
		}
	}
}

/**
 * Closes n8n's toasts ("Credential successfully created…", "Node executed successfully"): they sit
 * over the panel's corner. Element Plus's notification has no data-test-id, hence its class.
 */
export async function dismissNotifications(page: Page): Promise<void> {
	const toasts = page.locator('.el-notification').filter({ visible: true });
	for (let left = await toasts.count(); left > 0; left--) {
		await toasts.first().locator('.el-notification__closeBtn').click();
		// One fewer: the last of the ones counted is gone.
		await toasts.nth(left - 1).waitFor({ state: 'detached' });
	}
}

/** n8n's first-run form (POST /rest/owner/setup); afterwards the editor is signed in. */
export async function setUpOwner(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/setup`, { waitUntil: 'domcontentloaded' });
	const form = page.getByTestId('setup-form');
	await form.waitFor();
	for (const [field, value] of Object.entries(OWNER))
		await form.getByTestId(field).locator('input').fill(value);
	await Promise.all([
		page.waitForResponse((r) => r.url().endsWith('/rest/owner/setup') && r.ok()),
		form.getByTestId('form-submit-button').click(),
	]);
	await page.waitForURL((url) => !url.pathname.startsWith('/setup'));
}

/** A new, empty workflow, with the nodes panel open and its node types loaded. */
export async function openNewWorkflow(page: Page, baseUrl: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`, { waitUntil: 'domcontentloaded' });
	await page.getByTestId('canvas-add-button').click();
	await findInNodesPanel(page, CORE_NODE);
	// The panel stays open: the next step picks its first node there.
}

/** A node every n8n has: the first trigger of a manual workflow. */
const CORE_NODE = 'Trigger manually';

/**
 * Searches the open nodes panel until it lists the item. The panel searches the node types the
 * editor has loaded (`/types/nodes.json`, megabytes): on a loaded machine they arrive after the
 * search was typed, and that search keeps answering "No results". So a "No results" is searched
 * again, within a bound; a missing node of ours still fails, naming it.
 */
async function findInNodesPanel(page: Page, itemName: string, search = itemName): Promise<Locator> {
	const panel = page.getByTestId('node-creator');
	const bar = panel.getByTestId('node-creator-search-bar');
	const item = panel
		.getByTestId('node-creator-item-name')
		.getByText(itemName, { exact: true })
		.first();
	const none = panel.getByTestId('node-creator-no-results');
	const bound = Date.now() + 300000;
	for (;;) {
		await bar.fill(search);
		await item.or(none).first().waitFor();
		if (await item.isVisible()) return item;
		if (Date.now() > bound)
			throw new Error(
				`The nodes panel lists no "${itemName}" (searched "${search}") for 5 minutes`,
			);
		await bar.fill('');
		// Not an assertion: a pause before the next search, while the editor loads.
		await page.waitForTimeout(2000);
	}
}

/** Opens the nodes panel (unless open), searches, and picks the item with this exact name. */
export async function pickFromNodesPanel(
	page: Page,
	opener: Locator,
	search: string,
	itemName: string,
): Promise<Locator> {
	const panel = page.getByTestId('node-creator');
	if (!(await panel.isVisible())) {
		await opener.click();
		await panel.waitFor();
	}
	await (await findInNodesPanel(page, itemName, search)).click();
	return panel;
}

/**
 * Waits until the nodes panel has closed after a node was added: it slides out, and a click on
 * "+" while it is still there toggles nothing (the next pick then finds no panel).
 */
export async function nodesPanelClosed(page: Page): Promise<void> {
	await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
}

/**
 * In the node's actions view, clicks the action whose name matches, and waits for its panel (NDV).
 * n8n 2.41 lists an action as an `item-iterator-item` of keyboard-nav type "action" whose name is
 * its `node-creator-item-name`; matched on the name only (its description also holds words).
 */
export async function pickAction(page: Page, name: RegExp): Promise<Locator> {
	const action = page
		.getByTestId('node-creator')
		.locator('[data-test-id="item-iterator-item"][data-keyboard-nav-type="action"]')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(name) })
		.first();
	await action.click();
	await ndv(page).waitFor();
	return ndv(page);
}

/** The open node panel (NDV). */
export function ndv(page: Page): Locator {
	return page.getByTestId('ndv');
}

/** A parameter's input, by our parameter name (n8n: `parameter-input-<name>`). */
export function parameter(scope: Locator, name: string): Locator {
	return scope.getByTestId(`parameter-input-${name}`);
}

/** The labels of the parameters the panel shows, as a user reads them. */
export async function visibleLabels(scope: Locator): Promise<string[]> {
	// A parameter item's text starts with its label (then its input's own text).
	const items = await scope.getByTestId('parameter-item').filter({ visible: true }).allInnerTexts();
	return items.map((text) => text.split('\n')[0].trim());
}

/**
 * Fails, naming each one, when a field a user needs is not on the panel (a display rule that
 * hides it, a renamed label). Returns what the panel shows.
 */
export async function expectFields(
	scope: Locator,
	required: string[],
	where: string,
): Promise<string[]> {
	const labels = await visibleLabels(scope);
	const missing = required.filter((label) => !labels.includes(label));
	if (missing.length > 0)
		throw new Error(
			`${where}: the panel lacks ${missing.map((label) => `"${label}"`).join(', ')}; it shows ${labels.map((label) => `"${label}"`).join(', ')}`,
		);
	return labels;
}

/** Chooses an option of an options parameter by its display name. */
export async function chooseOption(page: Page, input: Locator, optionName: string): Promise<void> {
	await input.click();
	// An option's accessible name also holds its description: match its title exactly.
	await page
		.getByRole('option')
		.filter({ visible: true })
		.filter({ has: page.getByText(optionName, { exact: true }) })
		.first()
		.click();
	await expectValue(input.locator('input').first(), optionName);
}

export async function expectValue(input: Locator, value: string): Promise<void> {
	await input
		.page()
		.waitForFunction(
			([element, expected]) => (element as { value?: string } | null)?.value === expected,
			[await input.elementHandle(), value] as const,
		);
}

/** Types a fixed value into a string parameter. */
export async function fillParameter(scope: Locator, name: string, value: string): Promise<void> {
	const input = parameter(scope, name).locator('input, textarea').first();
	await input.fill(value);
}

/** "Execute step" in the open panel; resolves when n8n has shown the run's output. */
export async function executeStep(page: Page): Promise<Locator> {
	const panel = ndv(page);
	await panel.getByTestId('node-execute-button').click();
	const output = panel.getByTestId('output-panel');
	await output
		.getByTestId('ndv-items-count')
		.or(output.getByTestId('run-data-callout'))
		.or(output.locator('table'))
		.first()
		.waitFor();
	return output;
}

/** The output as a table: header cells and the first row's cells. */
export async function outputTable(output: Locator): Promise<Record<string, string>> {
	const display = output.getByTestId('ndv-run-data-display-mode');
	if (await display.isVisible()) await display.getByText('Table', { exact: true }).click();
	const table = output.locator('table').first();
	await table.waitFor();
	const headers = (await table.locator('thead th').allInnerTexts()).map((text) => text.trim());
	const cells = (await table.locator('tbody tr').first().locator('td').allInnerTexts()).map(
		(text) => text.trim(),
	);
	return Object.fromEntries(headers.map((header, index) => [header, cells[index] ?? '']));
}

export async function closeNdv(page: Page): Promise<void> {
	await ndv(page).getByTestId('ndv-close-button').click();
	await ndv(page).waitFor({ state: 'hidden' });
}
