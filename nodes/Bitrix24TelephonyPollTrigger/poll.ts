/**
 * One poll of the call history (`voximplant.statistic.get`, pages of 50 with `next`).
 *
 * The cursor is the highest history ID already seen, kept in the node's static data: each poll
 * asks for `>ID` the cursor, oldest first, and moves the cursor to the last row it read, so no
 * call is emitted twice and none is skipped while the history only grows. IDs are the history
 * table's auto-increment key, so a call written later always has a higher ID. A poll reads at
 * most MAX_PAGES pages; what is left is read by the next poll, from where this one stopped.
 *
 * The first poll without a cursor only records the newest ID and emits nothing: past calls are
 * not replayed into a workflow that was just switched on. (n8n 2.41 stages a poll's static data
 * and does not commit the trial poll it runs at activation, so there the first scheduled poll
 * is the one that records it.) "Fetch Test Event" (manual mode)
 * shows the newest matching call and leaves the cursor alone.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import {
	openPortal,
	toNodeError,
	type PortalClient,
} from '../Bitrix24TelephonyTrigger/portalClient';
import {
	recordOutput,
	rowsOf,
	STATISTIC_METHOD,
} from '../Bitrix24TelephonyTrigger/shared/callRecord';
import { readFilters, type CallFilters } from './filters';

/** 10 pages of 50: 500 calls per poll at most, the rest on the next poll. */
export const MAX_PAGES = 10;
/** How far back "Fetch Test Event" looks for a call that passes the filters. */
const TEST_EVENT_PAGES = 4;

interface PollState {
	/** The highest history ID seen; absent until the first poll. */
	lastId?: number;
}

function idOf(row: IDataObject): number {
	const id = Number(row.ID);
	return Number.isSafeInteger(id) ? id : 0;
}

/** Rows after `afterId`, oldest first, up to MAX_PAGES pages. */
async function rowsAfter(
	client: PortalClient,
	afterId: number,
	filters: CallFilters,
): Promise<IDataObject[]> {
	const rows: IDataObject[] = [];
	let start = 0;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await client.call(STATISTIC_METHOD, {
			FILTER: { ...filters.server, '>ID': afterId },
			SORT: 'ID',
			ORDER: 'ASC',
			start,
		});
		const batch = rowsOf(answer.result);
		rows.push(...batch);
		if (batch.length === 0 || typeof answer.next !== 'number') break;
		start = answer.next;
	}
	return rows;
}

/** The newest rows first, up to `pages` pages (with the server-side filters). */
async function newestRows(client: PortalClient, server: IDataObject, pages: number) {
	const rows: IDataObject[] = [];
	let start = 0;
	for (let page = 0; page < pages; page++) {
		const answer = await client.call(STATISTIC_METHOD, {
			FILTER: server,
			SORT: 'ID',
			ORDER: 'DESC',
			start,
		});
		const batch = rowsOf(answer.result);
		rows.push(...batch);
		if (batch.length === 0 || typeof answer.next !== 'number') break;
		start = answer.next;
	}
	return rows;
}

function authentication(ctx: IPollFunctions): 'webhook' | 'oAuth2' {
	return ctx.getNodeParameter('authentication', 'webhook') === 'oAuth2' ? 'oAuth2' : 'webhook';
}

async function testEvent(
	ctx: IPollFunctions,
	client: PortalClient,
	filters: CallFilters,
): Promise<INodeExecutionData[][]> {
	const latest = (await newestRows(client, filters.server, TEST_EVENT_PAGES)).find(filters.matches);
	if (!latest)
		throw new NodeOperationError(
			ctx.getNode(),
			'No finished call in the call history matches the filters yet',
			{
				description:
					'Make or log a call (e.g. with Bitrix24 Telephony → Log Completed Call), or widen the filters, then fetch again.',
			},
		);
	return [[{ json: recordOutput(client.portalUrl, latest) }]];
}

export async function pollCalls(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const filters = readFilters(this);
	const state = this.getWorkflowStaticData('node') as PollState;
	try {
		const client = await openPortal(this, authentication(this));
		if (this.getMode() === 'manual') return await testEvent(this, client, filters);
		if (typeof state.lastId !== 'number') {
			const [newest] = await newestRows(client, {}, 1);
			state.lastId = newest ? idOf(newest) : 0;
			return null;
		}
		const rows = await rowsAfter(client, state.lastId, filters);
		if (rows.length === 0) return null;
		state.lastId = Math.max(state.lastId, ...rows.map(idOf));
		const items = rows
			.filter(filters.matches)
			.map((row) => ({ json: recordOutput(client.portalUrl, row) }));
		return items.length > 0 ? [items] : null;
	} catch (error) {
		throw toNodeError(this, error);
	}
}
