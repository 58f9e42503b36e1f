/**
 * The finished call as the portal's call history (`voximplant.statistic.get`) holds it:
 * duration, result code, cost, recording, CRM binding. Both triggers read it here: the event
 * trigger for one call (by CALL_ID, after OnVoximplantCallEnd), the poll trigger for every call
 * after its cursor. Rows are typed like the events (typedFields.ts) and get a CRM link.
 * https://github.com/bitrix24/b24restdocs/blob/main/api-reference/telephony/voximplant/voximplant-statistic-get.md
 */
import type { IDataObject } from 'n8n-workflow';

import { crmEntityUrl, type PortalClient } from '../portalClient';
import { typedFields } from './typedFields';

export const STATISTIC_METHOD = 'voximplant.statistic.get';

export function rowsOf(result: unknown): IDataObject[] {
	return Array.isArray(result)
		? result.filter((row): row is IDataObject => row !== null && typeof row === 'object')
		: [];
}

/** A statistics row for the workflow: typed values, and `crmEntityUrl` when it is bound. */
export function recordOutput(portalUrl: string, row: IDataObject): IDataObject {
	const url = crmEntityUrl(portalUrl, row.CRM_ENTITY_TYPE, row.CRM_ENTITY_ID);
	return { ...typedFields(row), ...(url ? { crmEntityUrl: url } : {}) };
}

/**
 * The history row of one call, or undefined when the portal has none (yet). A call registered
 * twice with the same CALL_ID cannot be finished twice, so there is at most one row; the newest
 * is taken should a portal ever list more.
 */
export async function fetchCallRecord(
	client: PortalClient,
	callId: string,
): Promise<IDataObject | undefined> {
	const answer = await client.call(STATISTIC_METHOD, {
		FILTER: { CALL_ID: callId },
		SORT: 'ID',
		ORDER: 'DESC',
	});
	const [row] = rowsOf(answer.result);
	return row ? recordOutput(client.portalUrl, row) : undefined;
}
