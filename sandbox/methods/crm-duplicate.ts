/**
 * crm.duplicate.findbycomm (docs/bitrix24-fidelity.md row 14): CRM ids by phone or e-mail, grouped by entity type,
 * `[]` when nothing is found. Errors carry the message as the code (2026 docs).
 */
import { CrmMatch, findByEmail, findByPhone } from '../crm';
import { RestError } from '../errors';
import { isPhpArray, phpArrayValues, phpString } from '../php-values';
import type { CrmEntityType } from '../state';
import { paramCI } from '../list-query';
import { MethodContext, MethodDefinition, ok } from './context';

const ENTITY_ORDER: CrmEntityType[] = ['LEAD', 'CONTACT', 'COMPANY'];
/** Once one type has this many matches the other types are not reported. */
const MATCH_LIMIT = 20;

function findByCommError(code: string, description: string): RestError {
	return new RestError(400, code, description);
}

export const duplicateFindByCommMethod: MethodDefinition = {
	name: 'crm.duplicate.findbycomm',
	scope: 'crm',
	handler(ctx: MethodContext) {
		const type = phpString(paramCI(ctx.params, 'type')).toUpperCase();
		if (type === '')
			throw findByCommError('Communication type is not defined', "Parameter 'type' is required.");
		if (type !== 'PHONE' && type !== 'EMAIL') {
			const message = `Communication type '${type}' is not supported in current context`;
			throw findByCommError(message, message);
		}
		const values = paramCI(ctx.params, 'values');
		if (!isPhpArray(values) || phpArrayValues(values).length === 0) {
			throw findByCommError(
				'Communication values is not defined',
				"Parameter 'values' is required.",
			);
		}
		const entityType = phpString(paramCI(ctx.params, 'entity_type')).toUpperCase();
		const order = ENTITY_ORDER.filter((candidate) => entityType === '' || candidate === entityType);

		const found = new Map<CrmEntityType, number[]>();
		for (const value of phpArrayValues(values)) {
			if (typeof value !== 'string' || value === '') continue;
			const matches: CrmMatch[] =
				type === 'PHONE'
					? findByPhone(ctx.runtime.state, value, order)
					: findByEmail(ctx.runtime.state, value, order);
			for (const { type: matchType, record } of matches) {
				const ids = found.get(matchType) ?? [];
				if (!ids.includes(record.id)) ids.push(record.id);
				found.set(matchType, ids);
			}
		}
		const saturated = [...found.entries()].find(([, ids]) => ids.length >= MATCH_LIMIT);
		const groups = saturated ? [saturated] : [...found.entries()];
		return ok(groups.length === 0 ? [] : Object.fromEntries(groups));
	},
};
