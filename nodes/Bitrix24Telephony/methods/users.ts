import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { readFromPortal } from './readFromPortal';

function label(user: IDataObject): string {
	const name = [user.NAME, user.LAST_NAME]
		.filter((p) => typeof p === 'string' && p.trim() !== '')
		.join(' ');
	const extension =
		typeof user.UF_PHONE_INNER === 'string' && user.UF_PHONE_INNER !== ''
			? ` (ext. ${user.UF_PHONE_INNER})`
			: '';
	return `${name || (user.EMAIL as string) || `User ${String(user.ID)}`}${extension}`;
}

/**
 * Employees for the User picker, shown as "Name (ext. 101)". Digits search the extension
 * (`user.get` filters on UF_PHONE_INNER); text searches names (`user.search`). Pages of 50.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const query = (filter ?? '').trim();
	const start = Number(paginationToken ?? 0) || 0;
	const select = ['ID', 'ACTIVE', 'NAME', 'LAST_NAME', 'EMAIL', 'UF_PHONE_INNER'];
	const { envelope, portalUrl } = /^\d+$/.test(query)
		? await readFromPortal(this, 'user.get', {
				FILTER: { UF_PHONE_INNER: query, ACTIVE: true },
				select,
				start,
			})
		: query
			? // user.search takes FIND alone ("not possible to use FIND and any other field
				// simultaneously"): dismissed employees are dropped below instead.
				await readFromPortal(this, 'user.search', {
					FILTER: { FIND: query },
					select,
					start,
				})
			: await readFromPortal(this, 'user.get', {
					FILTER: { ACTIVE: true },
					sort: 'LAST_NAME',
					order: 'ASC',
					select,
					start,
				});
	const users = (Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : []).filter(
		(user) => user.ACTIVE !== false && user.ACTIVE !== 'N',
	);
	return {
		results: users.map((user) => ({
			name: label(user),
			value: String(user.ID),
			url: `${portalUrl}/company/personal/user/${String(user.ID)}/`,
		})),
		paginationToken: envelope.next !== undefined ? String(envelope.next) : undefined,
	};
}

/** Pages of `user.get` read for the multi-select picker: 10 × 50 employees. */
const MAX_USER_PAGES = 10;

/**
 * Active employees for the Show/Hide Card user picker (a multi-select needs the whole list, not
 * a search), "Name (ext. 101)", by user ID.
 */
export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	let start = 0;
	for (let page = 0; page < MAX_USER_PAGES; page++) {
		const { envelope } = await readFromPortal(this, 'user.get', {
			FILTER: { ACTIVE: true },
			sort: 'LAST_NAME',
			order: 'ASC',
			select: ['ID', 'NAME', 'LAST_NAME', 'EMAIL', 'UF_PHONE_INNER'],
			start,
		});
		const users = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
		for (const user of users) options.push({ name: label(user), value: String(user.ID) });
		if (envelope.next === undefined) break;
		start = Number(envelope.next);
	}
	return options;
}
