import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { pickerCall } from './pickerTransport';

/** Lead sources of this portal (`crm.status.list`, ENTITY_ID = SOURCE), by their STATUS_ID. */
export async function getCrmSources(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { envelope } = await pickerCall(this, 'crm.status.list', {
		filter: { ENTITY_ID: 'SOURCE' },
		order: { SORT: 'ASC' },
	});
	const statuses = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
	return statuses.map((status) => ({
		name: String(status.NAME ?? status.STATUS_ID),
		value: String(status.STATUS_ID),
		description: `STATUS_ID ${String(status.STATUS_ID)}`,
	}));
}

/** External lines (`telephony.externalLine.get`), by their NUMBER. */
export async function getLines(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const { envelope } = await pickerCall(this, 'telephony.externalLine.get', {});
	const lines = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
	return lines.map((line) => ({
		name: line.NAME ? `${String(line.NAME)} (${String(line.NUMBER)})` : String(line.NUMBER),
		value: String(line.NUMBER),
	}));
}
