import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { readFromPortal } from './readFromPortal';

/** External lines for the Line Number picker, "Name (number)", filtered by name or number. */
export async function searchLines(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const { envelope } = await readFromPortal(this, 'telephony.externalLine.get', {});
	const lines = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
	const query = (filter ?? '').trim().toLowerCase();
	const results = lines
		.map((line) => ({
			name: line.NAME ? `${String(line.NAME)} (${String(line.NUMBER)})` : String(line.NUMBER),
			value: String(line.NUMBER),
		}))
		.filter((line) => query === '' || line.name.toLowerCase().includes(query));
	return { results };
}
