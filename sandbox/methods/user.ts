/**
 * user.get and user.search (docs/bitrix24-fidelity.md row 20): extensions live in UF_PHONE_INNER, IDs are strings,
 * pages of 50 with total/next. Bots (IS_REAL_USER = N) are not listed.
 */
import { applySelect, matchesCondition, page, paramCI, parseFilter, sortRows } from '../list-query';
import { isPhpArray, Params, PhpMap, phpString } from '../php-values';
import type { PortalUser } from '../state';
import { MethodContext, MethodDefinition } from './context';

/** The fields user.get returns for a user. */
function userRow(user: PortalUser): Record<string, unknown> {
	return {
		ID: String(user.id),
		XML_ID: null,
		ACTIVE: user.active,
		NAME: user.name,
		LAST_NAME: user.lastName,
		SECOND_NAME: '',
		EMAIL: user.email,
		LAST_LOGIN: null,
		DATE_REGISTER: '2024-01-15T09:00:00+01:00',
		IS_ONLINE: 'N',
		TIME_ZONE: '',
		PERSONAL_GENDER: '',
		PERSONAL_PHONE: user.personalPhone,
		PERSONAL_MOBILE: user.personalMobile,
		WORK_PHONE: user.workPhone,
		WORK_POSITION: '',
		UF_DEPARTMENT: [1],
		UF_PHONE_INNER: user.phoneInner,
		USER_TYPE: user.userType,
	};
}

const NON_FILTER_PARAMS = ['filter', 'sort', 'order', 'select', 'admin_mode'];

/** FILTER (any case), or the top-level parameters when there is no FILTER (legacy form). */
function filterOf(params: Params): PhpMap {
	const filter = paramCI(params, 'filter');
	if (isPhpArray(filter) && !Array.isArray(filter)) return filter;
	return Object.fromEntries(
		Object.entries(params).filter(([key]) => !NON_FILTER_PARAMS.includes(key.toLowerCase())),
	);
}

/** Conditions on fields a user row does not have (FIND, unknown UF_*) are ignored, like CUser::GetList. */
function listUsers(ctx: MethodContext, extraMatch: (user: PortalUser) => boolean, filter: PhpMap) {
	const conditions = parseFilter(filter);
	const rows = ctx.runtime.state.users
		.filter((user) => user.isRealUser && extraMatch(user))
		.map(userRow)
		.filter((row) =>
			conditions.every(
				(condition) =>
					!(condition.field in row) || matchesCondition(row[condition.field], condition),
			),
		);
	const sortParam = paramCI(ctx.params, 'sort');
	const orderParam = paramCI(ctx.params, 'order');
	const [field, direction] =
		isPhpArray(sortParam) && !Array.isArray(sortParam)
			? [Object.keys(sortParam)[0]?.toUpperCase() ?? null, phpString(Object.values(sortParam)[0])]
			: [
					sortParam === undefined ? 'ID' : phpString(sortParam).toUpperCase(),
					phpString(orderParam ?? 'ASC'),
				];
	const select = paramCI(ctx.params, 'select');
	return page(
		sortRows(rows, field, direction).map((row) => applySelect(row, select)),
		ctx.start,
	);
}

export const userGetMethod: MethodDefinition = {
	name: 'user.get',
	scope: 'user',
	handler: (ctx: MethodContext) => listUsers(ctx, () => true, filterOf(ctx.params)),
};

export const userSearchMethod: MethodDefinition = {
	name: 'user.search',
	scope: 'user',
	handler(ctx: MethodContext) {
		const filter = filterOf(ctx.params);
		const find = phpString(paramCI(filter, 'find') ?? '')
			.trim()
			.toLowerCase();
		const matchesFind = (user: PortalUser) =>
			find === '' ||
			[`${user.name} ${user.lastName}`, `${user.lastName} ${user.name}`, user.email].some((text) =>
				text.toLowerCase().includes(find),
			);
		// "It is not possible to use FIND and any other field simultaneously" (user-search.md):
		// with FIND set, the other filter fields do not apply.
		return listUsers(ctx, matchesFind, find === '' ? filter : {});
	},
};
