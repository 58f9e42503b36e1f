/**
 * Before sending: which items the portal already holds (Log Completed Call's "Skip Calls Already
 * Logged"). Items carry a `skipKey` (their EXTERNAL_CALL_ID); the operation's `AlreadyDoneLookup`
 * turns up to `keysPerCommand` keys into one read command. The reads go out like any other
 * commands, in `batch` requests of up to 50, through the same transport; items whose key the
 * portal holds, or that repeat an earlier item's key, get their "skipped" output instead.
 */
import type { IDataObject } from 'n8n-workflow';

import { MAX_BATCH_COMMANDS, sendBatch, type BatchGroup } from '../transport/batch';
import type { Bitrix24Transport } from '../transport/transport';
import type { AlreadyDoneLookup } from './types';

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
