/**
 * Reading the sandbox portal's state and request log the way the tests ask about them: which
 * REST methods were called (alone or inside a batch), and where a call ended up.
 */
import type { ActiveCall, FinishedCall, LoggedRequest, Sandbox } from '../../sandbox';

/** Every REST method called, batch commands unpacked, lower-cased. */
export function methodsCalled(requests: LoggedRequest[]): string[] {
	return requests.flatMap((request) =>
		request.restMethod === 'batch' ? (request.batchCommands ?? []) : [request.restMethod],
	);
}

export function activeCall(sandbox: Sandbox, callId: string): ActiveCall | undefined {
	return sandbox.state.activeCalls.find((call) => call.callId === callId);
}

export function finishedCall(sandbox: Sandbox, callId: string): FinishedCall | undefined {
	return sandbox.state.statistics.find((call) => call.callId === callId);
}

export function finishedCallByExternalId(
	sandbox: Sandbox,
	externalCallId: string,
): FinishedCall | undefined {
	return sandbox.state.statistics.find((call) => call.call.externalCallId === externalCallId);
}
