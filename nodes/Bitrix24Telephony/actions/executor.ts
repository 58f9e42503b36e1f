/**
 * Runs one operation over all input items, once for all operations: validates every item (bad
 * input never reaches Bitrix24; without `continueOnFail`, all of them before anything is sent),
 * hands the requests to the scheduler (single or `batch` requests under the rate limiter), and
 * returns each result or error in input order with `pairedItem` (see outcomes.ts).
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { resolveConnection, type AuthenticationMode } from '../transport/auth/connection';
import { Bitrix24Transport } from '../transport/transport';
import { ItemOutcomes } from './outcomes';
import { BatchScheduler } from './schedule';
import type { ItemRequest, OperationDefinition } from './types';

export { MAX_BATCH_COMMANDS } from '../transport/batch';

/**
 * Batches Bitrix24 may be working on at once with "Continue On Fail". Two keep the connection
 * busy while an answer travels back and the next batch is prepared; the rate limiter still
 * admits every request, so this never becomes a burst (Bitrix24 warns against parallel bursts,
 * not against overlap).
 */
const MAX_BATCHES_IN_FLIGHT = 2;

export async function executeOperation(
	this: IExecuteFunctions,
	operation: OperationDefinition,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const authentication = this.getNodeParameter(
		'authentication',
		0,
		'webhook',
	) as AuthenticationMode;
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;

	let connection;
	try {
		connection = await resolveConnection(this, authentication);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Fix the Bitrix24 credential of this node.',
		});
	}
	const transport = new Bitrix24Transport(this, connection, {
		...(typeof options.timeout === 'number' ? { timeoutMs: options.timeout } : {}),
	});
	const outcomes = new ItemOutcomes(this, this.continueOnFail(), connection.redactor);
	const batching = options.batching !== false;
	const scheduler = new BatchScheduler(transport, outcomes, {
		batching,
		window: outcomes.continueOnFail ? MAX_BATCHES_IN_FLIGHT : 1,
	});
	const context = { portalUrl: connection.portalUrl };
	const prepare = async (itemIndex: number): Promise<ItemRequest | undefined> => {
		try {
			return await operation.prepare.call(this, itemIndex, context);
		} catch (error) {
			outcomes.fail(itemIndex, error);
			return undefined;
		}
	};

	// With "Continue On Fail" a bad item fails alone, so there is nothing to gain from checking
	// every item before the first request: each batch is prepared while the previous one is in
	// flight. Without it, every item is validated before anything is sent.
	const streamed = outcomes.continueOnFail && batching && items.length > 1;
	if (streamed) {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			await scheduler.breathe();
			const request = await prepare(itemIndex);
			if (request) await scheduler.add(itemIndex, request);
		}
	} else {
		const prepared: Array<[number, ItemRequest] | undefined> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			const request = await prepare(itemIndex);
			if (request) prepared.push([itemIndex, request]);
		}
		for (let k = 0; k < prepared.length; k++) {
			const [itemIndex, request] = prepared[k]!;
			// Let go of each request once handed over: with 10,000 items they add up.
			prepared[k] = undefined;
			await scheduler.add(itemIndex, request);
		}
	}
	await scheduler.finish();
	return [outcomes.items(items.length)];
}
