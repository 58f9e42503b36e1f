/**
 * The poll trigger's filters, read once per poll. A filter with one value goes to Bitrix24 as
 * a FILTER key (fewer rows to page through); with several values it is applied to the rows
 * here, because voximplant.statistic.get documents no "one of" operation for these fields.
 */
import { NodeOperationError, type IDataObject, type IPollFunctions } from 'n8n-workflow';

import { CALL_TYPE_OPTIONS, STATUS_OPTIONS } from './description';

export interface CallFilters {
	/** FILTER keys for voximplant.statistic.get. */
	server: IDataObject;
	/** Whether a (raw) history row passes the filters Bitrix24 could not apply. */
	matches(row: IDataObject): boolean;
}

function values(raw: unknown): string[] {
	return (Array.isArray(raw) ? raw : []).map((value) => String(value).toUpperCase());
}

function check(ctx: IPollFunctions, field: string, chosen: string[], allowed: string[]): void {
	const unknown = chosen.filter((value) => !allowed.includes(value));
	if (unknown.length > 0)
		throw new NodeOperationError(
			ctx.getNode(),
			`Filters → ${field}: ${unknown.join(', ')} is not one of ${allowed.join(', ')}`,
		);
}

export function readFilters(ctx: IPollFunctions): CallFilters {
	const raw = ctx.getNodeParameter('filters', {}) as IDataObject;
	const types = values(raw.callTypes);
	const statuses = values(raw.statusCodes);
	check(
		ctx,
		'Call Types',
		types,
		CALL_TYPE_OPTIONS.map((o) => String(o.value)),
	);
	check(
		ctx,
		'Statuses',
		statuses,
		STATUS_OPTIONS.map((o) => String(o.value)),
	);
	const line = typeof raw.lineNumber === 'string' ? raw.lineNumber.trim() : '';

	const server: IDataObject = {};
	if (types.length === 1) server.CALL_TYPE = types[0];
	if (statuses.length === 1) server.CALL_FAILED_CODE = statuses[0];
	if (line !== '') server.PORTAL_NUMBER = line;
	return {
		server,
		matches: (row) =>
			(types.length <= 1 || types.includes(String(row.CALL_TYPE ?? ''))) &&
			(statuses.length <= 1 || statuses.includes(String(row.CALL_FAILED_CODE ?? '').toUpperCase())),
	};
}
