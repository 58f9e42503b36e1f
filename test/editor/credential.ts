/**
 * A credential created from the node panel, the way a user does: the empty credential slot opens
 * the form, the form's mode switch picks the credential type explicitly (a node version may
 * default to another one), Save stores it and n8n runs its test.
 */
import type { Page } from 'playwright-core';

import { chooseOption, ndv, parameter, type Screenshots } from './editor';

export interface CredentialTestResult {
	status: string;
	message: string;
}

export async function useCredential(
	page: Page,
	options: {
		mode: string;
		typeName: string;
		name: string;
		fields: Record<string, string>;
		shots: Screenshots;
	},
): Promise<CredentialTestResult> {
	const panel = ndv(page);
	// The node's Authentication parameter picks the credential type (1.2 defaults to OAuth2); the
	// slot below it then offers that type's credentials.
	const authentication = parameter(panel, 'authentication');
	if (await authentication.isVisible()) await chooseOption(page, authentication, options.mode);
	const empty = panel.getByTestId('node-credentials-empty-state');
	const select = panel.getByTestId('node-credentials-select');
	await empty.or(select).first().waitFor();
	if (await empty.isVisible()) await empty.click();
	else {
		await select.click();
		await page
			.getByTestId('node-credentials-select-item-new')
			.filter({ visible: true })
			.first()
			.click();
	}
	const modal = page.getByTestId('editCredential-modal');
	await modal.waitFor();
	// Some n8n versions show the types as a switch in the form instead (or as well).
	const modeSwitch = modal.getByTestId('credential-mode-dropdown-trigger');
	if ((await modeSwitch.isVisible()) && (await modeSwitch.innerText()).trim() !== options.mode) {
		await modeSwitch.click();
		await page.getByRole('menuitem', { name: options.mode, exact: true }).click();
	}
	// The form is of the intended type: its header names it under the credential's name.
	await modal
		.getByText(options.typeName, { exact: true })
		.first()
		.waitFor({ timeout: 15000 })
		.catch(() => {
			throw new Error(
				`The credential form offers no "${options.mode}" (${options.typeName}): neither the node's Authentication parameter nor a type switch in the form is shown`,
			);
		});
	for (const [field, value] of Object.entries(options.fields))
		await modal
			.getByTestId(`parameter-input-${field}`)
			.locator('input, textarea')
			.first()
			.fill(value);
	await modal.getByTestId('credential-name').click();
	await modal.getByTestId('credential-name').getByTestId('inline-edit-input').fill(options.name);
	await modal.getByTestId('credential-name').getByTestId('inline-edit-input').press('Enter');
	await options.shots.take('credential-form');
	const [response] = await Promise.all([
		page.waitForResponse(
			(r) => r.url().endsWith('/rest/credentials/test') && r.request().method() === 'POST',
		),
		modal.getByTestId('credential-save-button').click(),
	]);
	const body = (await response.json()) as { data: CredentialTestResult };
	// n8n closes the form after a successful test of a new credential; an unsuccessful one stays.
	if (await modal.isVisible()) {
		await options.shots.take('credential-tested');
		await modal.locator('.el-dialog__close').first().click();
	}
	await modal.waitFor({ state: 'hidden' });
	return body.data;
}
