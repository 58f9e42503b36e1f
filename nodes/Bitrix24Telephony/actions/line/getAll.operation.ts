/** Line → Get Many: `telephony.externalLine.get` (Bitrix24 returns every line at once). */
import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition } from '../types';

const show = { resource: ['line'], operation: ['getAll'] };

export const getAllLines: OperationDefinition = {
	description: [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	],
	prepare(itemIndex) {
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll
			? Infinity
			: Math.max(1, Number(this.getNodeParameter('limit', itemIndex, 50)) || 50);
		return {
			commands: { lines: { method: 'telephony.externalLine.get', params: {}, idempotent: true } },
			output: ({ lines }) => (Array.isArray(lines) ? (lines as IDataObject[]) : []).slice(0, limit),
		};
	},
};
