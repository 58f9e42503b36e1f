/**
 * crm.status.list (docs/bitrix24-fidelity.md row 22): dictionary rows, e.g. lead sources with filter ENTITY_ID=SOURCE.
 * Pass STATUS_ID (not ID) as CRM_SOURCE.
 */
import { matchesCondition, page, paramCI, parseFilter, sortRows } from '../list-query';
import { isPhpArray, phpString } from '../php-values';
import type { CrmStatus } from '../state';
import { MethodContext, MethodDefinition } from './context';

function statusRow(status: CrmStatus): Record<string, unknown> {
	return {
		ID: String(status.id),
		ENTITY_ID: status.entityId,
		STATUS_ID: status.statusId,
		NAME: status.name,
		NAME_INIT: status.name,
		SORT: String(status.sort),
		SYSTEM: status.system ? 'Y' : 'N',
		CATEGORY_ID: null,
		COLOR: null,
		SEMANTICS: null,
		EXTRA: [],
	};
}

export const crmStatusListMethod: MethodDefinition = {
	name: 'crm.status.list',
	scope: 'crm',
	handler(ctx: MethodContext) {
		const conditions = parseFilter(paramCI(ctx.params, 'filter'));
		const rows = ctx.runtime.state.statuses
			.map(statusRow)
			.filter((row) =>
				conditions.every((condition) => matchesCondition(row[condition.field], condition)),
			);
		const order = paramCI(ctx.params, 'order');
		const [field, direction] =
			isPhpArray(order) && !Array.isArray(order) && Object.keys(order).length > 0
				? [Object.keys(order)[0].toUpperCase(), phpString(Object.values(order)[0])]
				: ['SORT', 'ASC'];
		return page(sortRows(rows, field, direction), ctx.start);
	},
};
