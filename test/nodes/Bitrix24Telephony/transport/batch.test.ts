/**
 * `sendBatch` alone, with a fake portal beneath the transport: each group's results or failure
 * come back by key, and commands Bitrix24 refused with 429 OPERATION_TIME_LIMIT (not executed)
 * are sent again, here, once the block lifts, so that callers only see final outcomes.
 */
import type { IDataObject } from 'n8n-workflow';

import { connectionFromCredentials } from '../../../../nodes/Bitrix24Telephony/transport/auth/connection';
import { sendBatch, type BatchGroup } from '../../../../nodes/Bitrix24Telephony/transport/batch';
import type { Bitrix24Failure } from '../../../../nodes/Bitrix24Telephony/transport/errors';
import { Bitrix24Transport } from '../../../../nodes/Bitrix24Telephony/transport/transport';
import { batchCommands, fakeContext, type Answer } from '../actions/fakeContext';

const groups = (count: number): BatchGroup[] =>
	Array.from({ length: count }, (_, n) => ({
		key: `i${n}`,
		commands: { add: { method: 'test.add', params: { N: n }, idempotent: true } },
	}));

function transportWith(answer: Answer) {
	const { ctx, sent } = fakeContext({ items: [], answer });
	const connection = connectionFromCredentials('webhook', {
		webhookUrl: `https://batch-${Math.random().toString(36).slice(2)}.bitrix24.com/rest/1/s3cretc0de42/`,
		plan: 'enterprise',
	});
	return { transport: new Bitrix24Transport(ctx, connection, { backoffBaseMs: 10 }), sent };
}

/**
 * A batch answer: `ok` keys executed (each command's `result_time` says when the method's
 * operating-time block lifts: now), `blocked` refused with 429 OPERATION_TIME_LIMIT.
 */
function batchAnswer(ok: string[], blocked: string[] = []): { body: unknown } {
	const now = Date.now() / 1000;
	const result: IDataObject = {};
	const resultTime: IDataObject = {};
	for (const key of ok) {
		result[key] = { ID: key };
		resultTime[key] = { operating_reset_at: now, finish: now };
	}
	const resultError: IDataObject = {};
	for (const key of blocked) {
		resultError[key] = {
			error: 'OPERATION_TIME_LIMIT',
			error_description: 'Method is blocked due to operation time limit.',
		};
	}
	return {
		body: { result: { result, result_error: resultError, result_time: resultTime }, time: {} },
	};
}

test('every group comes back by its key, in the order given', async () => {
	const { transport, sent } = transportWith(({ body }) =>
		batchAnswer(Object.keys(batchCommands({ method: 'batch', body }))),
	);
	const outcomes = await sendBatch(transport, groups(3), { halt: true });
	expect([...outcomes.keys()]).toEqual(['i0', 'i1', 'i2']);
	expect(outcomes.get('i1')).toEqual({ results: { add: { ID: 'i1_add' } } });
	expect(sent).toHaveLength(1);
	expect(sent[0].body).toEqual({
		halt: 1,
		cmd: { i0_add: 'test.add?N=0', i1_add: 'test.add?N=1', i2_add: 'test.add?N=2' },
	});
});

test('halt=1: the blocked command and everything behind it are sent again once the block lifts', async () => {
	let calls = 0;
	const { transport, sent } = transportWith(({ body }) => {
		const keys = Object.keys(batchCommands({ method: 'batch', body }));
		// First answer: i0 ran, i1 was blocked, halt=1 left i2 untouched (no result, no error).
		return ++calls === 1 ? batchAnswer(['i0_add'], ['i1_add']) : batchAnswer(keys);
	});
	const outcomes = await sendBatch(transport, groups(3), { halt: true });
	expect(sent.map((r) => Object.keys(batchCommands(r)))).toEqual([
		['i0_add', 'i1_add', 'i2_add'],
		['i1_add', 'i2_add'],
	]);
	expect([...outcomes.values()]).toEqual([
		{ results: { add: { ID: 'i0_add' } } },
		{ results: { add: { ID: 'i1_add' } } },
		{ results: { add: { ID: 'i2_add' } } },
	]);
});

test('a block that lets nothing through after one wait is reported, with when it lifts', async () => {
	let calls = 0;
	const { transport, sent } = transportWith(({ body }) => {
		const keys = Object.keys(batchCommands({ method: 'batch', body }));
		return ++calls === 1 ? batchAnswer(['i0_add'], ['i1_add']) : batchAnswer([], keys);
	});
	const outcomes = await sendBatch(transport, groups(2), { halt: false });
	// One wait; the resend got nothing through, so no second wait.
	expect(sent).toHaveLength(2);
	expect(outcomes.get('i0')).toEqual({ results: { add: { ID: 'i0_add' } } });
	const blocked = outcomes.get('i1')!;
	expect('failure' in blocked).toBe(true);
	const failure = (blocked as { failure: Error }).failure as Bitrix24Failure;
	expect(failure.kind).toBe('operatingLimit');
	expect(failure.details.description).toContain('It lifts at');
});

test('a lost batch fails every group, told in their own method', async () => {
	const { transport } = transportWith(() =>
		Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
	);
	const nonIdempotent = groups(2).map((g) => ({
		...g,
		commands: { add: { ...g.commands.add, idempotent: false } },
	}));
	const outcomes = await sendBatch(transport, nonIdempotent, { halt: true });
	for (const outcome of outcomes.values()) {
		expect('failure' in outcome && outcome.failure.message).toContain('test.add (in a batch)');
	}
});
