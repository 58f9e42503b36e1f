/**
 * One step of a call's life through the node, for tests that walk a whole call: each step is a
 * real workflow run through the engine against the sandbox.
 */
import type { Sandbox } from '../../sandbox';
import { webhookCredentials } from './portal';
import { runNode, type RunNodeOptions } from './workflowRunner';

export function callSteps(portal: () => Sandbox) {
	const run = (parameters: Record<string, unknown>, extra: Partial<RunNodeOptions> = {}) =>
		runNode({
			credentials: webhookCredentials(portal()),
			parameters: { resource: 'call', ...parameters } as never,
			...extra,
		});

	return {
		run,
		async register(parameters: Record<string, unknown> = {}): Promise<string> {
			const result = await run({
				operation: 'register',
				userIdentification: 'extension',
				userPhoneInner: '101',
				phoneNumber: '+4915112345678',
				type: 2,
				additionalFields: { externalCallId: `ext-${Math.random().toString(36).slice(2)}` },
				...parameters,
			});
			if (result.status !== 'success') throw new Error(`register failed: ${result.error?.message}`);
			return String(result.items[0].json.CALL_ID);
		},
		finish: (
			callId: string,
			parameters: Record<string, unknown> = {},
			extra: Partial<RunNodeOptions> = {},
		) =>
			run(
				{
					operation: 'finish',
					callId,
					userIdentification: 'extension',
					userPhoneInner: '101',
					duration: 0,
					statusCode: 'auto',
					...parameters,
				},
				extra,
			),
	};
}
