import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidField } from './itemError';
import { ValueProblem } from './values';

export interface FieldRef {
	name: string;
	displayName: string;
}

/**
 * Runs one of the checks in `values.ts` on a field's value and, when it fails, raises the
 * item-and-field error. Keeps operations to one line per parameter.
 */
export function readField<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	value: unknown,
	check: (value: unknown) => T,
): T {
	let problem: ValueProblem | undefined;
	let result: T | undefined;
	try {
		result = check(value);
	} catch (error) {
		if (!(error instanceof ValueProblem))
			throw invalidField(ctx, itemIndex, field, `is invalid: ${(error as Error).message}`);
		problem = error;
	}
	if (problem) throw invalidField(ctx, itemIndex, field, problem.message, problem.hint);
	return result as T;
}
