/**
 * The trigger in queue mode: the webhook process receives Bitrix24's ONEXTERNALCALLSTART and runs
 * the trigger's check (authenticity, 30-second duplicate memory) itself; the execution runs on
 * a worker. The duplicate memory is per process, so this also shows where it ends: the same
 * delivery reaching another n8n process that serves webhooks (here the main process, which in
 * queue mode serves production webhooks too) starts a second execution, whose Finish Bitrix24
 * refuses because the call is already finished.
 */
import { DEMO_SEED as SEED } from '../../scripts/n8n-runtime/demoSeed';
import { EXAMPLES, triggerWebhookPath } from '../../scripts/n8n-runtime/examples';
import { waitFor } from '../../scripts/n8n-runtime/processes';
import {
	allEnded,
	readQueueExecutions,
	type QueueExecution,
} from '../../scripts/n8n-runtime/queue/executions';
import { postToWebhook } from '../../scripts/n8n-runtime/server';
import type { Delivery } from '../../sandbox';
import { APPLICATION_TOKEN } from '../e2e/fixture';
import type { QueueContext } from './fixture';

const EFFECT_TIMEOUT_MS = 120000;

export interface ClickToCallOutcome {
	callId: string;
	deliveries: Delivery[];
	executions: QueueExecution[];
}

function pathOf(context: QueueContext): string {
	return triggerWebhookPath(context.clickToCall, EXAMPLES.clickToCall.triggerNode);
}

async function endedExecutions(context: QueueContext, count: number): Promise<QueueExecution[]> {
	return await waitFor(
		`${count} click-to-call execution(s) to end`,
		async () => {
			const stored = await readQueueExecutions(context.postgres, EXAMPLES.clickToCall.id);
			return stored.length >= count && allEnded(stored) ? stored : undefined;
		},
		EFFECT_TIMEOUT_MS,
		500,
	);
}

/** One click in the CRM, the event delivered twice to the webhook process. */
export async function clickToCallDeliveredTwice(
	context: QueueContext,
): Promise<ClickToCallOutcome> {
	const portal = context.triggerPortal;
	portal.events.addOutboundWebhook({
		url: context.webhook.webhookUrl(pathOf(context)),
		events: ['ONEXTERNALCALLSTART'],
		applicationToken: APPLICATION_TOKEN,
	});
	const { callId, deliveries } = await portal.events.clickToCall({
		userId: SEED.boris.id,
		phoneNumber: SEED.acmeContact.phone,
		lineNumber: SEED.line,
		duplicate: true,
	});
	await waitFor(
		'the click-to-call to be finished',
		() => portal.state.statistics.find((call) => call.callId === callId),
		EFFECT_TIMEOUT_MS,
	);
	return { callId, deliveries, executions: await endedExecutions(context, 1) };
}

/** The same delivery once more, to the main process: another process, another memory. */
export async function sameDeliveryToMain(
	context: QueueContext,
	delivery: Delivery,
): Promise<{ status: number; executions: QueueExecution[] }> {
	const response = await postToWebhook(context.main.webhookUrl(pathOf(context)), delivery.payload);
	return { status: response.status, executions: await endedExecutions(context, 2) };
}
