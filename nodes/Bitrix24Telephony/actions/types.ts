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
	/**
	 * Set when the item asks to be skipped if the portal already holds its effect: the key the
	 * operation's `alreadyDone` lookup finds it by (Log Completed Call: the EXTERNAL_CALL_ID).
	 */
	skipKey?: string;
	/**
	 * When the `batch` that carried these commands lost its answer (cut off by Bitrix24's
	 * 60-second limit, or dropped): finds out what took effect and completes the rest without
	 * doing anything twice, then returns the output; throws when that cannot be known. Without it
	 * the item fails saying the outcome is unknown.
	 */
	recover?: (
		transport: Bitrix24Transport,
		lost: LostBatch,
		failure: Error,
	) => Promise<IDataObject | IDataObject[]>;
}

/** How an operation asks the portal which items it already holds (see `alreadyDone.ts`). */
export interface AlreadyDoneLookup {
	/** How many keys one read command asks about. */
	keysPerCommand: number;
	/** The read command for these keys. */
	command(keys: string[]): Bitrix24Command;
	/** The rows of a read's result: each row's key, and the output for an item with that key. */
	found(result: unknown): Array<[key: string, output: IDataObject]>;
	/** Whether the result is a full page, so that more rows may exist. */
	isFullPage(result: unknown): boolean;
	/** The output of an item whose key an earlier item of the same run has. */
	duplicate(key: string, earlierItemIndex: number): IDataObject;
	/** The error when a read answered rows for keys it was not asked about (the filter was ignored). */
	unfiltered(): Error;
}

/** What the recovery of a lost batch has learnt so far, shared by its items in batch order. */
export interface LostBatch {
	/**
	 * An earlier item of the batch was found not (fully) done. Bitrix24 runs a batch's commands in
	 * order, and a cut-off stops all that follows (docs/bitrix24-fidelity.md row 43): nothing of
	 * this item ran. An item that finds itself not done sets it.
	 */
	cutBefore: boolean;
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
	/** For items with a `skipKey`: finds those the portal already holds, before anything is sent. */
	alreadyDone?: AlreadyDoneLookup;
	prepare(
		this: IExecuteFunctions,
		itemIndex: number,
		context: PrepareContext,
	): Promise<ItemRequest> | ItemRequest;
}
