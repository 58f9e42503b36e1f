/**
 * A sandbox portal per test file, and the shortcuts tests share: the webhook credential for it and
 * the REST methods it received. (Every engine run is scanned for secrets by runNode itself.)
 */
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox';

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
