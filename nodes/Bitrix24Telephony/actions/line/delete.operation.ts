/** Line → Delete: `telephony.externalLine.delete`, by NUMBER. */
import type { OperationDefinition } from '../types';
import { existingLineField, readLineNumber } from './create.operation';

const show = { resource: ['line'], operation: ['delete'] };

export const deleteLine: OperationDefinition = {
	description: [existingLineField(show)],
	prepare(itemIndex) {
		const number = readLineNumber(this, itemIndex);
		return {
			// A repeated delete answers "Could not find line": not safe to repeat blindly.
			commands: {
				delete: {
					method: 'telephony.externalLine.delete',
					params: { NUMBER: number },
					idempotent: false,
				},
			},
			// Bitrix24 answers an empty array; say what happened instead.
			output: () => ({ deleted: true, NUMBER: number }),
		};
	},
};
