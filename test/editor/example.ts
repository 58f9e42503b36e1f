/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Jest on Node, never inside n8n, and is not published; the token is a test value */
/**
 * An example workflow as a user gets it running: its credentials and the workflow imported the
 * way the e2e suite imports them (n8n's CLI, credentials under the fixed ids the examples
 * reference, so nothing is re-linked by hand), then opened in the editor and run there with its
 * run button. The CLI writes to the same database the running `n8n start` reads, so the editor
 * sees both on its next page load.
 */
import { randomUUID } from 'crypto';
import type { Page } from 'playwright-core';

import type { Sandbox } from '../../sandbox';
import {
	EXAMPLES,
	exampleCredentialReference,
	exampleCredentials,
	loadExample,
	registerExampleApp,
	type ExampleName,
} from '../../scripts/n8n-runtime/examples';
import type { N8nHome, WorkflowFile } from '../../scripts/n8n-runtime/home';

/** The outbound webhook credential's token (the examples reference that credential too). */
const APPLICATION_TOKEN = 'editor0application0token000001';

export async function importExample(
	home: N8nHome,
	sandbox: Sandbox,
	name: ExampleName,
): Promise<{ id: string; nodeNames: string[] }> {
	// The examples use the OAuth2 credential (node 1.2's default): a local application on the
	// sandbox portal with tokens its OAuth server issued, as after "Connect my account".
	await home.importCredentials(
		exampleCredentials({
			webhookUrl: sandbox.webhookUrl,
			applicationToken: APPLICATION_TOKEN,
			oAuth2: registerExampleApp(sandbox),
		}),
	);
	const workflow = loadExample(name);
	await home.importWorkflows([workflow]);
	return {
		id: EXAMPLES[name].id,
		nodeNames: workflow.nodes
			.filter((node) => !node.type.endsWith('.stickyNote'))
			.map((node) => node.name),
	};
}

/** Opens a stored workflow in the editor; resolves when its nodes are on the canvas. */
export async function openWorkflow(
	page: Page,
	baseUrl: string,
	id: string,
	nodeNames: string[],
): Promise<void> {
	await page.goto(`${baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	await page.getByTestId('canvas').waitFor();
	for (const nodeName of nodeNames) await canvasNode(page, nodeName).waitFor();
}

export function canvasNode(page: Page, nodeName: string) {
	return page.getByTestId('canvas-node').filter({ has: page.getByText(nodeName, { exact: true }) });
}

/** The canvas's run button; resolves when every node shows the success mark. */
export async function runWorkflow(page: Page, nodeNames: string[]): Promise<void> {
	await page.getByTestId('execute-workflow-button').click();
	for (const nodeName of nodeNames)
		await canvasNode(page, nodeName).getByTestId('canvas-node-status-success').waitFor();
}

/**
 * A workflow saved before trigger version 1.1 existed, as users have them: version 1 on an
 * outbound webhook, its `authentication` left out (n8n stores no parameter at its default).
 * Needs the examples' credentials (importExample) imported first.
 */
export async function importSavedTriggerV1(
	home: N8nHome,
): Promise<{ id: string; nodeName: string }> {
	const nodeName = 'Click-to-call (saved with version 1)';
	const workflow: WorkflowFile = {
		id: 'b24edSavedTrigV1',
		name: 'Saved click-to-call, trigger version 1',
		nodes: [
			{
				id: randomUUID(),
				name: nodeName,
				type: 'n8n-nodes-bitrix24-telephony.bitrix24TelephonyTrigger',
				typeVersion: 1,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { events: ['ONEXTERNALCALLSTART'] },
				credentials: exampleCredentialReference('outboundWebhook'),
			},
		],
		connections: {},
		active: false,
		settings: { executionOrder: 'v1' },
	};
	await home.importWorkflows([workflow]);
	return { id: workflow.id, nodeName };
}
