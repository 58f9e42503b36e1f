/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * One n8n process of the concurrency test (like one queue-mode worker): registers calls through
 * the engine against the portal given on the command line and prints a summary as JSON.
 *
 *   tsx test/reliability/concurrentWorker.ts <webhookUrl> <prefix> <count> [processes]
 */
import { runNode } from '../helpers/workflowRunner';

async function main(): Promise<void> {
	const [webhookUrl, prefix, count, processes = '1'] = process.argv.slice(2);
	const items = Array.from({ length: Number(count) }, (_, i) => ({
		id: `${prefix}-${i}`,
		phone: `+4916${prefix.length}${String(i).padStart(6, '0')}`,
	}));
	const result = await runNode({
		credentials: {
			bitrix24WebhookApi: { webhookUrl, plan: 'standard', processes: Number(processes) },
		},
		parameters: {
			resource: 'call',
			operation: 'register',
			userIdentification: 'extension',
			userPhoneInner: '102',
			phoneNumber: '={{ $json.phone }}',
			type: 2,
			additionalFields: { externalCallId: '={{ $json.id }}', crmCreate: false },
			// One request per item: the worst case for the portal's limit.
			options: { batching: false },
		} as never,
		items,
		continueOnFail: true,
	});
	const summary = {
		status: result.status,
		registered: result.items
			.filter((i) => i.json.CALL_ID)
			.map((i) => [
				i.json.call && (i.json.call as { externalCallId: string }).externalCallId,
				i.json.CALL_ID,
			]),
		errors: result.items.filter((i) => i.json.error).map((i) => i.json.error),
	};
	process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		process.stderr.write(String(error?.stack ?? error));
		process.exit(1);
	},
);
