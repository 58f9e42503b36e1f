/**
 * Mapping by expression: the parameter switched to Expression and the expression typed, then
 * checked by n8n's own preview (which evaluates it against the input the panel shows).
 */
import type { Locator, Page } from 'playwright-core';

import { parameter } from './editor';

export async function mapExpression(
	page: Page,
	panel: Locator,
	name: string,
	expression: string,
	expectedPreview: string,
): Promise<void> {
	const container = panel.getByTestId(`${name}-parameter-input-options-container`);
	await parameter(panel, name).hover();
	await container.getByTestId('radio-button-expression').click();
	const editor = parameter(panel, name).locator('[contenteditable="true"]').first();
	await editor.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.insertText(expression);
	await panel
		.getByTestId('parameter-expression-preview-value')
		.or(page.getByTestId('inline-expression-editor-output'))
		.filter({ hasText: expectedPreview })
		.first()
		.waitFor();
}
