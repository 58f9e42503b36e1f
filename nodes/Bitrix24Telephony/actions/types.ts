import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Bitrix24Command } from '../transport/batch';
import type { Bitrix24Transport } from '../transport/transport';

export type { Bitrix24Command } from '../transport/batch';

/**
 * What one input item asks of Bitrix24. Either named commands that travel together (in one
 * `batch` request when there are several; a later command may use an earlier one's result
 * through a `BatchReference`), or a multi-step flow that cannot be batched (`run`).
 */
export type ItemRequest = CommandRequest | RunRequest;

export interface CommandRequest {
	commands: Record<string, Bitrix24Command>;
	/** Turns the commands' results (by name) into the output item(s). */
	output: (results: Record<string, unknown>) => IDataObject | IDataObject[];
}

export interface RunRequest {
	run: (transport: Bitrix24Transport) => Promise<IDataObject | IDataObject[]>;
}

export function isCommandRequest(request: ItemRequest): request is CommandRequest {
	return 'commands' in request;
}

export interface PrepareContext {
	/** `https://portal.bitrix24.com`, for links to CRM records in the output. */
	portalUrl: string;
}

/**
 * An operation: its fields, and how one item becomes a validated request. It never sends,
 * loops or catches: the executor does that once for all operations.
 */
export interface OperationDefinition {
	description: INodeProperties[];
	prepare(
		this: IExecuteFunctions,
		itemIndex: number,
		context: PrepareContext,
	): Promise<ItemRequest> | ItemRequest;
}
