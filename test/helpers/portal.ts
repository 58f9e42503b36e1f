/**
 * A sandbox portal per test file, and the shortcuts tests share: the webhook credential for it,
 * and a scan proving that no secret leaked into what a run produced.
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';
import { visibleOutput, type NodeRunResult } from './workflowRunner';

export function usePortal(options: SandboxOptions = {}): { portal: () => Sandbox } {
	let sandbox: Sandbox | undefined;
	beforeAll(async () => {
		sandbox = await startSandbox({ seed: 'demo', ...options });
	});
	afterAll(async () => {
		await sandbox?.close();
	});
	return {
		portal: () => {
			if (!sandbox) throw new Error('sandbox not started');
			return sandbox;
		},
	};
}

export function webhookCredentials(sandbox: Sandbox, url = sandbox.webhookUrl) {
	return { bitrix24WebhookApi: { webhookUrl: url } };
}

/** REST calls the portal received since the last `clearRequests()`, by method. */
export function restMethods(sandbox: Sandbox): string[] {
	return sandbox.requests.map((r) => r.restMethod);
}

export function expectNoSecret(result: NodeRunResult, ...secrets: string[]): void {
	const text = visibleOutput(result);
	for (const secret of secrets) expect(text).not.toContain(secret);
}
