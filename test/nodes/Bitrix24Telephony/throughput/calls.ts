/**
 * Shared by the throughput tests: register items that each carry their own number and
 * EXTERNAL_CALL_ID, and the checks every one of those tests makes, with the sandbox's call
 * table as the judge.
 */
import type { INodeParameters } from 'n8n-workflow';

import type { Sandbox } from '../../../../sandbox';
import type { NodeRunResult } from '../../../helpers/workflowRunner';

export interface CallItem {
	phone: string;
	id: string;
	ext: string;
	[key: string]: string;
}

/** `count` calls, each its own client number and EXTERNAL_CALL_ID, for employee 101. */
export function callItems(count: number, tag: string): CallItem[] {
	return Array.from({ length: count }, (_, i) => ({
		phone: `+4930${String(i).padStart(7, '0')}`,
		id: `${tag}-${i}`,
		ext: '101',
	}));
}

/** Call → Register, every value from the item. */
export function registerParameters(options: Record<string, unknown> = {}): INodeParameters {
	return {
		resource: 'call',
		operation: 'register',
		userIdentification: 'extension',
		userPhoneInner: '={{ $json.ext }}',
		phoneNumber: '={{ $json.phone }}',
		type: 2,
		additionalFields: { externalCallId: '={{ $json.id }}', show: false, crmCreate: false },
		options,
	} as INodeParameters;
}

/** The EXTERNAL_CALL_IDs a logged request carried, in the order it carried them. */
export function sentIds(request: Sandbox['requests'][number]): string[] {
	if (request.restMethod !== 'batch') return [String(request.params.EXTERNAL_CALL_ID)];
	const cmd = request.params.cmd as Record<string, string>;
	return Object.values(cmd).map((command) =>
		decodeURIComponent(/EXTERNAL_CALL_ID=([^&]*)/.exec(command)?.[1] ?? ''),
	);
}

/** Requests Bitrix24 answered 200, i.e. processed. */
export function processed(sandbox: Sandbox): Sandbox['requests'] {
	return sandbox.requests.filter((r) => r.status === 200);
}

/** One output per item, in input order, paired with it, carrying its own call. */
export function expectOutputInOrder(
	result: NodeRunResult,
	items: CallItem[],
	failedAt: number[] = [],
): void {
	expect(result.items).toHaveLength(items.length);
	result.items.forEach((output, i) => {
		expect(output.pairedItem).toEqual({ item: i });
		if (failedAt.includes(i)) {
			expect(output.json.error).toEqual(expect.any(String));
			expect(output.json.CALL_ID).toBeUndefined();
		} else {
			expect(output.json.CALL_ID).toEqual(expect.any(String));
			expect((output.json.call as { phoneNumber?: string }).phoneNumber).toBe(items[i].phone);
		}
	});
}

/**
 * The call table: every given item registered exactly once (one call per EXTERNAL_CALL_ID,
 * registerCount 1: never even deduplicated), its CALL_ID the one the node output for it.
 */
export function expectEachRegisteredOnce(
	sandbox: Sandbox,
	result: NodeRunResult,
	items: CallItem[],
	indexes?: number[],
): void {
	const expected = indexes ?? items.map((_, i) => i);
	for (const i of expected) {
		const calls = sandbox.state.activeCalls.filter((call) => call.externalCallId === items[i].id);
		expect({
			id: items[i].id,
			calls: calls.length,
			registerCount: calls[0]?.registerCount,
		}).toEqual({ id: items[i].id, calls: 1, registerCount: 1 });
		expect(calls[0].callId).toBe(result.items[i].json.CALL_ID);
		expect(calls[0].phoneNumber).toBe(items[i].phone);
	}
	expect(sandbox.state.activeCalls).toHaveLength(expected.length);
}
