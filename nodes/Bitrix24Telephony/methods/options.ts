import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { readFromPortal } from './readFromPortal';

/** 20 pages of 50: more lead sources than any portal has. */
const MAX_SOURCE_PAGES = 20;

/**
 * CRM Source's first choice, and the value the field starts with: when the field is added its
 * value is the default '', and n8n's editor marks a value missing from the loaded list with
 * 'The value "" is not supported!'. '' means CRM_SOURCE is not sent, so Bitrix24 uses the line's
 * setting; listing it makes the starting value a real, explained choice.
 */
export const NO_CRM_SOURCE: INodePropertyOptions = {
	name: "The Line's Setting (Not Sent)",
	value: '',
	description: "CRM_SOURCE is not sent: Bitrix24 uses the line's or portal's default source",
};

/** Lead sources of this portal (`crm.status.list`, ENTITY_ID = SOURCE), by their STATUS_ID. */
export async function getCrmSources(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// A list method: its answers come in pages of 50 with `next`, so every page is read.
	const statuses: IDataObject[] = [];
	let start: number | undefined = 0;
	for (let pages = 0; start !== undefined && pages < MAX_SOURCE_PAGES; pages++) {
		const { envelope } = await readFromPortal(this, 'crm.status.list', {
			filter: { ENTITY_ID: 'SOURCE' },
			order: { SORT: 'ASC' },
			start,
		});
		if (Array.isArray(envelope.result)) statuses.push(...(envelope.result as IDataObject[]));
		start = typeof envelope.next === 'number' ? envelope.next : undefined;
	}
	return [
		NO_CRM_SOURCE,
		...statuses.map((status) => ({
			name: String(status.NAME ?? status.STATUS_ID),
			value: String(status.STATUS_ID),
			description: `STATUS_ID ${String(status.STATUS_ID)}`,
		})),
	];
}

/** External lines (`telephony.externalLine.get`), by their NUMBER. */
export async function getLines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { envelope } = await readFromPortal(this, 'telephony.externalLine.get', {});
	const lines = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
	return lines.map((line) => ({
		name: line.NAME ? `${String(line.NAME)} (${String(line.NUMBER)})` : String(line.NUMBER),
		value: String(line.NUMBER),
	}));
}
