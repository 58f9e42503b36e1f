/**
 * Log Completed Call's "Skip Calls Already Logged" (docs/bitrix24-fidelity.md row 53): before
 * sending, the rows' EXTERNAL_CALL_IDs are looked up in the call history,
 * `voximplant.statistic.get` with `FILTER: { EXTERNAL_CALL_ID: [up to 50 ids] }` (a plain list is
 * `IN`). Finish writes the EXTERNAL_CALL_ID into that history row, so a row found there was
 * registered AND finished. Register's own 30-minute dedup cannot do this: it only looks at calls
 * still active, and Log Completed Call finishes its call in the same request.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { AlreadyDoneLookup } from '../types';

/** voximplant.statistic.get answers pages of 50 rows. */
const PAGE_SIZE = 50;

export const SKIP_LOGGED_OPTION: INodeProperties = {
	displayName: 'Skip Calls Already Logged',
	name: 'skipLogged',
	type: 'boolean',
	default: false,
	description:
		'Whether to look up the rows\' External Call IDs in the call history first and output the calls Bitrix24 already holds as { skipped: true, reason: "alreadyLogged", CALL_ID } instead of logging them again, so that an import can be rerun after a failure. A row that repeats an earlier row\'s External Call ID is skipped too. Rows without an External Call ID cannot be matched: they are logged, with skipLoggedCheck: "noExternalCallId".',
};

function rowsOf(result: unknown): IDataObject[] {
	if (Array.isArray(result)) return result as IDataObject[];
	return result && typeof result === 'object' ? (Object.values(result) as IDataObject[]) : [];
}

export const alreadyLogged: AlreadyDoneLookup = {
	keysPerCommand: PAGE_SIZE,
	command: (keys) => ({
		method: 'voximplant.statistic.get',
		params: { FILTER: { EXTERNAL_CALL_ID: keys } },
		idempotent: true,
	}),
	found: (result) =>
		rowsOf(result).map((row) => [
			String(row.EXTERNAL_CALL_ID ?? ''),
			{
				skipped: true,
				reason: 'alreadyLogged',
				CALL_ID: row.CALL_ID,
				EXTERNAL_CALL_ID: row.EXTERNAL_CALL_ID,
				CALL_START_DATE: row.CALL_START_DATE,
				// Whether its recording is there: a rerun does not attach it again.
				RECORD_FILE_ID: row.RECORD_FILE_ID ?? null,
			},
		]),
	isFullPage: (result) => rowsOf(result).length >= PAGE_SIZE,
	duplicate: (key, earlierItemIndex) => ({
		skipped: true,
		reason: 'duplicateInInput',
		EXTERNAL_CALL_ID: key,
		duplicateOfItem: earlierItemIndex,
	}),
	unfiltered: () =>
		new Error(
			'Bitrix24 did not filter its call history by EXTERNAL_CALL_ID, so "Skip Calls Already Logged" cannot tell which rows are logged; nothing was sent. Turn the option off for this portal (its telephony module may be too old to store EXTERNAL_CALL_ID in the history).',
		),
};
