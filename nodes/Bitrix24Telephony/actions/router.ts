import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { callOperations } from './call';
import { lineOperations } from './line';
import { executeOperation } from './executor';
import type { OperationDefinition } from './types';

const RESOURCES: Record<string, Record<string, OperationDefinition>> = {
	call: callOperations,
	line: lineOperations,
};

/** Finds the operation the node is set to and runs it; refuses anything else (e.g. "Custom API Call"). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const definition = RESOURCES[resource]?.[operation];
	if (!definition) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" of resource "${resource}" is not supported by Bitrix24 Telephony`,
			{
				description:
					'Choose one of the listed operations. "Custom API Call" is not available: use the HTTP Request node with the Bitrix24 credential for other methods.',
			},
		);
	}
	return await executeOperation.call(this, definition);
}
