/**
 * The one place where an error becomes an n8n node error, for the operations, the pickers and
 * the trigger alike: a `Bitrix24Failure` (already redacted) becomes a `NodeApiError` carrying
 * Bitrix24's code and description, n8n's own errors pass through, anything else is wrapped.
 */
import {
	NodeApiError,
	NodeOperationError,
	type IExecuteFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { Bitrix24Failure } from './failure';

export function toNodeError(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (!(error instanceof Bitrix24Failure)) {
		return new NodeOperationError(
			ctx.getNode(),
			error as Error,
			itemIndex !== undefined ? { itemIndex } : {},
		);
	}
	const { details } = error;
	return new NodeApiError(
		ctx.getNode(),
		{
			error: details.code,
			error_description: details.reason,
			method: details.method,
		} as JsonObject,
		{
			message: details.message,
			description: details.description,
			...(details.httpCode ? { httpCode: String(details.httpCode) } : {}),
			...(itemIndex !== undefined ? { itemIndex } : {}),
		},
	);
}
