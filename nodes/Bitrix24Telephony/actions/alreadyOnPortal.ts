/**
 * What the portal already holds, read before sending and after a lost answer.
 *
 * Before sending: which items the portal already holds (Log Completed Call's "Skip Calls Already
 * Logged"). Items carry a `skipKey` (their EXTERNAL_CALL_ID); the operation's `AlreadyDoneLookup`
 * turns up to `keysPerCommand` keys into one read command. The reads go out like any other
 * commands, in `batch` requests of up to 50, through the same transport; items whose key the
 * portal holds, or that repeat an earlier item's key, get their "skipped" output instead.
 *
 * After a lost answer: Bitrix24 cut a `batch` off at its 60-second limit (an HTML 504 from its
 * front, or a dropped connection), or the answer was lost on the way. The commands before the
 * cut took effect, those after it never ran (docs/bitrix24-fidelity.md row 43), and the answer
 * says nothing about which. Each item that knows how (`CommandRequest.recover`) finds out what
 * took effect and completes the rest; the others fail saying the outcome is unknown, as before.
 *
 * What can be found out, from the sources (docs/errors-and-limits.md, "A request cut off at 60
 * seconds"):
 * - a finished call has a row in `voximplant.statistic.get` (finish writes it), found by its
 *   CALL_ID or EXTERNAL_CALL_ID; no row = the finish did not run;
 * - a second finish of a finished call changes nothing and answers "Call is not found", so
 *   finishing again a call without a row is safe;
 * - a register is repeated safely only within Bitrix24's 30-minute dedup (same EXTERNAL_CALL_ID,
 *   CALL_START_DATE less than 30 minutes ago); older calls would be registered twice.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	MAX_BATCH_COMMANDS,
	sendBatch,
	type BatchGroup,
	type GroupOutcome,
} from '../transport/batch';
import { Bitrix24Failure } from '../transport/errors';
import type { Redactor } from '../transport/auth/connection';
import type { Bitrix24Transport } from '../transport/transport';
import type { AlreadyDoneLookup, CommandRequest, LostBatch } from './types';

export interface AlreadyDoneResult {
	/** Item index → its output instead of sending. */
	skipped: Map<number, IDataObject>;
	/** Item index → the error of the read that should have checked it. */
	failed: Map<number, Error>;
}

/** Keys compare as the portal's database compares them: case-insensitively. */
const norm = (key: string) => key.toLowerCase();

export async function findAlreadyDone(
	transport: Bitrix24Transport,
	lookup: AlreadyDoneLookup,
	keyed: Array<[itemIndex: number, key: string]>,
	halt: boolean,
): Promise<AlreadyDoneResult> {
	const skipped = new Map<number, IDataObject>();
	const failed = new Map<number, Error>();
	const firstItem = new Map<string, number>();
	let waiting: string[] = [];
	for (const [itemIndex, key] of keyed) {
		const earlier = firstItem.get(norm(key));
		if (earlier !== undefined) {
			skipped.set(itemIndex, lookup.duplicate(key, earlier));
			continue;
		}
		firstItem.set(norm(key), itemIndex);
		waiting.push(key);
	}

	const held = new Map<string, IDataObject>();
	const errors = new Map<string, Error>();
	while (waiting.length > 0) {
		const chunks: string[][] = [];
		for (let i = 0; i < waiting.length; i += lookup.keysPerCommand)
			chunks.push(waiting.slice(i, i + lookup.keysPerCommand));
		const again: string[] = [];
		for (let start = 0; start < chunks.length; start += MAX_BATCH_COMMANDS) {
			const round = chunks.slice(start, start + MAX_BATCH_COMMANDS);
			const groups: BatchGroup[] = round.map((keys, n) => ({
				key: `k${start + n}`,
				commands: { lookup: lookup.command(keys) },
			}));
			const outcomes = await sendBatch(transport, groups, { halt });
			round.forEach((keys, n) => {
				const outcome = outcomes.get(`k${start + n}`)!;
				if ('failure' in outcome) {
					for (const key of keys) errors.set(norm(key), outcome.failure);
					return;
				}
				const rows = lookup.found(outcome.results.lookup);
				const ours = new Set(keys.map(norm));
				let newlyFound = 0;
				for (const [key, output] of rows) {
					if (!ours.has(norm(key))) {
						// Every row must carry one of the keys asked for; else the portal ignored the filter.
						for (const k of keys) errors.set(norm(k), lookup.unfiltered());
						return;
					}
					if (!held.has(norm(key))) newlyFound++;
					held.set(norm(key), output);
				}
				// A full page may hide more keys: ask again for the ones not seen yet.
				if (lookup.isFullPage(outcome.results.lookup) && newlyFound > 0)
					again.push(...keys.filter((key) => !held.has(norm(key))));
			});
		}
		waiting = again;
	}

	for (const [itemIndex, key] of keyed) {
		if (skipped.has(itemIndex)) continue;
		const error = errors.get(norm(key));
		if (error) failed.set(itemIndex, error);
		const output = held.get(norm(key));
		if (output && !error) skipped.set(itemIndex, output);
	}
	return { skipped, failed };
}

// After a lost answer.

type Entry = [itemIndex: number, request: CommandRequest];

/** The failure of a batch request that lost its answer as a whole, or undefined. */
export function lostAnswer(outcomes: Map<string, GroupOutcome>): Error | undefined {
	const all = [...outcomes.values()];
	const lost = all.every(
		(outcome) =>
			'failure' in outcome &&
			Object.keys(outcome.done).length === 0 &&
			outcome.failure instanceof Bitrix24Failure &&
			outcome.failure.kind === 'unknownOutcome',
	);
	const first = all[0];
	return lost && first && 'failure' in first ? first.failure : undefined;
}

export interface RecoveryHandlers {
	succeed: (itemIndex: number, output: IDataObject | IDataObject[]) => void;
	fail: (itemIndex: number, error: unknown) => void;
	redactor: Redactor;
}

/** Recovers the items of a lost batch one by one, in batch order (the order Bitrix24 ran them). */
export async function recoverLostBatch(
	transport: Bitrix24Transport,
	chunk: Entry[],
	outcomes: Map<string, GroupOutcome>,
	failure: Error,
	{ succeed, fail, redactor }: RecoveryHandlers,
): Promise<void> {
	const lost: LostBatch = { cutBefore: false };
	for (const [itemIndex, request] of chunk) {
		const outcome = outcomes.get(`i${itemIndex}`);
		const own = outcome && 'failure' in outcome ? outcome.failure : failure;
		if (!request.recover) {
			fail(itemIndex, own);
			continue;
		}
		let output: IDataObject | IDataObject[];
		try {
			output = await request.recover(transport, lost, own);
		} catch (error) {
			fail(itemIndex, error);
			continue;
		}
		succeed(itemIndex, redactor.value(output));
	}
}

/** The finished call's statistics row, or undefined when the call was not finished. */
export async function finishedCallRow(
	transport: Bitrix24Transport,
	filter: IDataObject,
): Promise<IDataObject | undefined> {
	const envelope = await transport.call(
		'voximplant.statistic.get',
		{ FILTER: filter, SORT: 'ID', ORDER: 'DESC' },
		{ idempotent: true },
	);
	const rows = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
	return rows[0];
}

/** A statistics row in the shape of finish's own result (the output builders read that). */
export function finishResultFromRow(row: IDataObject): IDataObject {
	return {
		...row,
		INCOMING: row.CALL_TYPE,
		CALL_STATUS: Number(row.CALL_DURATION ?? 0) > 0 ? 1 : 0,
	};
}

/** The item's own lost-answer failure, with one more sentence of what to do. */
export function failureWith(failure: Error, description: string): Error {
	if (!(failure instanceof Bitrix24Failure)) return failure;
	return new Bitrix24Failure({
		...failure.details,
		description: `${failure.details.description} ${description}`,
	});
}

/**
 * The row of the call if it was finished; undefined if not. A lookup that fails (e.g. the
 * "Call statistics: view" permission is missing) leaves the outcome unknown: the item's own
 * failure, saying why.
 */
export async function lookUpFinishedCall(
	transport: Bitrix24Transport,
	filter: IDataObject,
	failure: Error,
): Promise<IDataObject | undefined> {
	try {
		return await finishedCallRow(transport, filter);
	} catch (error) {
		throw failureWith(
			failure,
			`The node could not look the call up in the call history to find out (${(error as Error).message}).`,
		);
	}
}
