/** Line → Get Many: `telephony.externalLine.get` (Bitrix24 returns every line at once). */
import type { IDataObject } from 'n8n-workflow';

import { returnAllFields } from '../descriptions';
import { readResultLimit } from '../read';
import type { OperationDefinition } from '../types';

const show = { resource: ['line'], operation: ['getAll'] };

export const getAllLines: OperationDefinition = {
	description: returnAllFields(show),
	prepare(itemIndex) {
		const limit = readResultLimit(this, itemIndex);
		return {
			commands: { lines: { method: 'telephony.externalLine.get', params: {}, idempotent: true } },
			output: ({ lines }) => (Array.isArray(lines) ? (lines as IDataObject[]) : []).slice(0, limit),
		};
	},
};
