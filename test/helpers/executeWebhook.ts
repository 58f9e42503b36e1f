/**
 * n8n's `executeWebhook` (packages/cli/src/webhooks/webhook-helpers.ts), reduced to what a
 * trigger in "respond immediately" mode needs. It lives in n8n's `cli` package, not in n8n-core,
 * so it is written again here: a thrown error is 500 and no run, `noWebhookResponse` answers
 * nothing, `webhookResponse` is the answer; when a run starts, the body is what
 * `extractWebhookOnReceivedResponse` (webhook-on-received-response-extractor.ts) makes of the
 * webhook description's `responseData`, which `evaluateResponseOptions` defaults to the literal
 * 'firstEntryJson' when the description has none.
 */
import type { INodeExecutionData, IRun, IWebhookResponseData } from 'n8n-workflow';

import type { WebhookResponse } from './n8nWebhookServer';

/** One request handled by a trigger: how it was answered, and what the node did. */
export interface WebhookCall {
	path: string;
	result?: IWebhookResponseData;
	/** What the node threw (n8n answers 500 and starts nothing). */
	error?: Error;
	run?: Promise<IRun>;
}

export async function executeWebhook(
	call: WebhookCall,
	res: WebhookResponse,
	runNodeWebhook: () => Promise<IWebhookResponseData>,
	startWorkflow: (workflowData: INodeExecutionData[][]) => Promise<IRun>,
	responseData: string | undefined = undefined,
): Promise<void> {
	try {
		call.result = await runNodeWebhook();
	} catch (error) {
		call.error = error as Error;
		if (!res.headersSent)
			res
				.status(500)
				.json({ code: 500, message: 'Workflow Webhook Error: Workflow could not be started!' });
		return;
	}
	const { result } = call;
	if (result.noWebhookResponse === true && result.workflowData === undefined) return;
	if (result.workflowData === undefined) {
		res
			.status(200)
			.json(
				result.webhookResponse !== undefined
					? result.webhookResponse
					: { message: 'Webhook call received' },
			);
		return;
	}
	call.run = startWorkflow(result.workflowData);
	if (res.headersSent) return;
	const evaluated = responseData ?? 'firstEntryJson';
	if (evaluated === 'noData') res.status(200).send();
	else if (evaluated) res.status(200).send(evaluated);
	else
		res
			.status(200)
			.json(
				result.webhookResponse !== undefined
					? result.webhookResponse
					: { message: 'Workflow was started' },
			);
}
