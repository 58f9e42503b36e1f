/**
 * voximplant.statistic.get: the telephony statistics (finished calls), as the portal lists them.
 * https://github.com/bitrix24/b24restdocs/blob/main/api-reference/telephony/voximplant/voximplant-statistic-get.md
 * FILTER keys carry an operation prefix (`=`, `!`, `>=`, `>`, `<=`, `<`, `><`, `!><`, `%`);
 * SORT is one field and ORDER its direction; pages of 50 rows with `total` and `next`.
 * Rows are the table as the ORM prints it: numbers as strings, nulls where nothing was set.
 */
import { formatPortalDate, parsePortalDate } from '../dates';
import {
	FilterCondition,
	matchesCondition,
	page,
	paramCI,
	parseFilter,
	sortRows,
} from '../list-query';
import { isPhpArray, phpArrayValues, phpString, PhpValue } from '../php-values';
import type { SandboxRuntime } from '../runtime';
import type { FinishedCall } from '../state';
import { MethodContext, MethodDefinition } from './context';

type Row = Record<string, unknown>;

/** Fields compared as moments rather than as text. */
const DATE_FIELDS = new Set(['CALL_START_DATE']);

/** vi_rest.php `$allowedFilterOperations`; a key with any other prefix is dropped. */
const FILTER_OPERATIONS = ['', '!', '<', '<=', '>', '>=', '><', '!><', '?', '=', '!=', '%', '!%'];

const text = (value: number | null | undefined): string | null =>
	value === null || value === undefined ? null : String(value);

export function statisticRow(runtime: SandboxRuntime, finished: FinishedCall): Row {
	const { call, params } = finished;
	const app = runtime.state.apps.find((candidate) => candidate.id === call.restAppId);
	const bound = finished.result.CRM_ENTITY_TYPE !== undefined;
	const vote = Number(finished.result.CALL_VOTE) || 0;
	return {
		ID: String(finished.id),
		PORTAL_USER_ID: String(finished.portalUserId),
		PORTAL_NUMBER: call.portalNumber,
		PHONE_NUMBER: call.phoneNumber,
		CALL_ID: call.callId,
		EXTERNAL_CALL_ID: call.externalCallId,
		CALL_CATEGORY: 'external',
		CALL_LOG: null,
		CALL_DURATION: String(finished.duration),
		CALL_START_DATE: formatPortalDate(call.dateCreate),
		CALL_RECORD_URL: finished.recordUrl === '' ? null : finished.recordUrl,
		CALL_VOTE: vote > 0 ? String(vote) : null,
		COST: Number(finished.result.COST ?? 0).toFixed(4),
		COST_CURRENCY: phpString(params.COST_CURRENCY),
		CALL_FAILED_CODE: finished.statusCode,
		CALL_FAILED_REASON: phpString(params.FAILED_REASON),
		CRM_ENTITY_TYPE: bound ? call.primaryEntityType : null,
		CRM_ENTITY_ID: bound ? text(call.primaryEntityId) : null,
		CRM_ACTIVITY_ID: text(finished.crmActivityId),
		REST_APP_ID: text(call.restAppId),
		REST_APP_NAME: app ? app.name : null,
		TRANSCRIPT_ID: text(finished.transcriptId),
		TRANSCRIPT_PENDING: 'N',
		SESSION_ID: null,
		REDIAL_ATTEMPT: null,
		COMMENT: null,
		RECORD_DURATION: null,
		RECORD_FILE_ID: finished.recordFileId,
		CALL_TYPE: String(call.type),
	};
}

/** A filter value as epoch seconds when the field is a date (unparseable: never matches). */
function moment(runtime: SandboxRuntime, value: unknown): number {
	const ms = parsePortalDate(phpString(value as PhpValue), runtime.now());
	return ms === null ? Number.NaN : ms / 1000;
}

function matches(runtime: SandboxRuntime, row: Row, condition: FilterCondition): boolean {
	const isDate = DATE_FIELDS.has(condition.field);
	const rowValue = isDate ? moment(runtime, row[condition.field]) : row[condition.field];
	const operand = (value: unknown) => (isDate ? moment(runtime, value) : value);
	const between = /^(!?)><$/.exec(condition.operation);
	if (between) {
		const bounds = isPhpArray(condition.value) ? phpArrayValues(condition.value) : [];
		const [from, to] = bounds.map((bound) => Number(operand(bound)));
		const inside = Number(rowValue) >= from && Number(rowValue) <= to;
		return between[1] === '!' ? !inside : inside;
	}
	// A plain list is `IN` (`!`: `NOT IN`), as the ORM builds it for `'=FIELD' => [..]` and for
	// the un-prefixed `'FIELD' => [..]`; checkStatisticFilter passes plain lists through untouched,
	// and the method's page shows `"FILTER": {"ID": [1, 7]}` (docs/bitrix24-fidelity.md row 53).
	if (isPlainList(condition.value) && ['', '=', '!', '!='].includes(condition.operation)) {
		const inList = phpArrayValues(condition.value).some((item) =>
			matchesCondition(rowValue, {
				...condition,
				operation: '=',
				value: operand(item) as PhpValue,
			}),
		);
		return condition.operation.startsWith('!') ? !inList : inList;
	}
	const value = isPhpArray(condition.value) ? condition.value : operand(condition.value);
	return matchesCondition(rowValue, { ...condition, value: value as PhpValue });
}

/** checkStatisticFilter's `$isPlainArray`: every key an integer (a JSON list, or `[0]=…&[1]=…`). */
function isPlainList(value: unknown): value is PhpValue[] {
	return isPhpArray(value) && Object.keys(value).every((key) => /^\d+$/.test(key));
}

/**
 * checkStatisticFilter: keys with an unknown operation or on a field the table does not have are
 * silently dropped (they do not empty the list); `?` is a substring search like `%`.
 */
function usableConditions(filter: PhpValue | undefined, fields: Set<string>): FilterCondition[] {
	return parseFilter(filter)
		.filter((c) => FILTER_OPERATIONS.includes(c.operation) && fields.has(c.field))
		.map((c) => (c.operation === '?' ? { ...c, operation: '%' } : c));
}

/**
 * SORT must name a table field (CALL_TYPE is a renamed INCOMING, not one) and ORDER be exactly
 * ASC or DESC, else there is no sorting at all (filterSortParam / filterOrderParam).
 */
function sortOf(params: Record<string, PhpValue>, fields: Set<string>): [string, string] | null {
	const sort = paramCI(params, 'SORT');
	const order = paramCI(params, 'ORDER');
	if (typeof sort !== 'string' || typeof order !== 'string') return null;
	const field = sort.trim();
	const direction = order.trim();
	if (!fields.has(field) || field === 'CALL_TYPE') return null;
	if (direction !== 'ASC' && direction !== 'DESC') return null;
	return [field, direction];
}

export const statisticGetMethod: MethodDefinition = {
	name: 'voximplant.statistic.get',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const { runtime, params } = ctx;
		const all = runtime.state.statistics.map((finished) => statisticRow(runtime, finished));
		// Every row has the same keys; with no rows there is nothing to filter or sort.
		const fields = new Set(Object.keys(all[0] ?? {}));
		const conditions = usableConditions(paramCI(params, 'FILTER'), fields);
		const rows = all.filter((row) =>
			conditions.every((condition) => matches(runtime, row, condition)),
		);
		const sorting = sortOf(params, fields);
		const sortField = sorting ? sorting[0] : '';
		// Sorting by the date sorts by the moment, whatever offset each row was printed with.
		const sortable = rows.map((row) => ({
			row,
			key: DATE_FIELDS.has(sortField) ? moment(runtime, row[sortField]) : row[sortField],
		}));
		const sorted = sorting ? sortRows(sortable, 'key', sorting[1]).map((entry) => entry.row) : rows;
		return page(sorted, ctx.start);
	},
};
