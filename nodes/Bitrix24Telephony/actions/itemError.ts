import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * The error for bad input, raised before any request. It names the item and the field, so that
 * a user with 500 items finds the one to fix.
 */
export function invalidField(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: { displayName: string; name: string },
	problem: string,
	description?: string,
): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		`Item ${itemIndex}: "${field.displayName}" (${field.name}) ${problem}`,
		{ itemIndex, description, level: 'warning' },
	);
}
