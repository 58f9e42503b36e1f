/**
 * Reading one field of one item: run a check from `checks.ts` on its value and, when it fails,
 * raise the error that names the item and the field, before any request.
 */
import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { ValueProblem } from './checks';

export interface FieldRef {
	name: string;
	displayName: string;
}

/**
 * The error for bad input, in n8n's style: the parameter in single quotes, the item as
 * `[item N]`, so that a user with 500 items finds the one to fix.
 */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: FieldRef,
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`'${field.displayName}' ${problem} [item ${itemIndex}]`,
		{ itemIndex, description, level: 'warning' },
	);
}

/**
 * Runs one of the checks in `checks.ts` on a field's value and, when it fails, raises the
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
