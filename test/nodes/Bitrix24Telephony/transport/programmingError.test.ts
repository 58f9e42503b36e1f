/**
 * What n8n's request helper throws, as n8n-core throws it (any error wrapped in a NodeApiError):
 * a TypeError with no network code anywhere is a programming error, reported as one and never
 * repeated; a socket error of an idempotent request is a network failure, retried.
 * n8n-workflow before 2.41 drops the wrapped error (its class field `cause` overwrites what
 * Error's constructor set), leaving only the message: there a TypeError cannot be told from a
 * network error, and stays a retried NETWORK_ERROR.
 */
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { connectionFromCredentials } from '../../../../nodes/Bitrix24Telephony/transport/auth/connection';
import { Bitrix24Failure } from '../../../../nodes/Bitrix24Telephony/transport/errors';
import { Bitrix24Transport } from '../../../../nodes/Bitrix24Telephony/transport/transport';
import { engineAtLeast } from '../../../helpers/engine';
import { fakeContext, type Answer } from '../actions/fakeContext';

const node = { name: 'Bitrix24 Telephony' } as INode;

/** As n8n-core's httpRequestWithAuthentication rethrows whatever went wrong. */
const wrapped = (error: Error) => new NodeApiError(node, error as unknown as JsonObject);

function transportWith(answer: Answer) {
	const { ctx, sent } = fakeContext({ items: [], answer });
	const connection = connectionFromCredentials('webhook', {
		webhookUrl: `https://defect-${Math.random().toString(36).slice(2)}.bitrix24.com/rest/1/s3cretc0de42/`,
		plan: 'enterprise',
	});
	return { transport: new Bitrix24Transport(ctx, connection, { backoffBaseMs: 1 }), sent };
}

async function failureOf(answer: Answer) {
	const { transport, sent } = transportWith(answer);
	const failure = await transport
		.call(
			'telephony.externalcall.searchCrmEntities',
			{ PHONE_NUMBER: '+4930111222' },
			{
				idempotent: true,
			},
		)
		.catch((error: unknown) => error);
	expect(failure).toBeInstanceOf(Bitrix24Failure);
	return { details: (failure as Bitrix24Failure).details, sent };
}

test('a TypeError from the helper is a programming error: sent once, not retried, named as such', async () => {
	const { details, sent } = await failureOf(() =>
		wrapped(new TypeError("Cannot read properties of undefined (reading 'ssrf')")),
	);
	if (!engineAtLeast(41)) {
		// The TypeError is gone from the chain: indistinguishable from a lost connection.
		expect(details).toMatchObject({ kind: 'unknownOutcome', code: 'NETWORK_ERROR' });
		expect(sent).toHaveLength(4);
		return;
	}
	expect(sent).toHaveLength(1);
	expect(details).toMatchObject({
		kind: 'defect',
		code: 'TypeError',
		reason: "Cannot read properties of undefined (reading 'ssrf')",
		message: 'The request to Bitrix24 could not be made (telephony.externalcall.searchCrmEntities)',
	});
	expect(details.description).toContain('programming error');
	expect(details.description).toContain('not repeated');
});

test('a socket error of an idempotent request is still a network failure, retried', async () => {
	const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
	const { details, sent } = await failureOf(() => wrapped(reset));
	expect(details).toMatchObject({ kind: 'unknownOutcome' });
	// The first attempt and networkRetries (3) more.
	expect(sent).toHaveLength(4);
});
