import type { INodeProperties } from 'n8n-workflow';

import { optionsField } from '../descriptions';
import type { OperationDefinition } from '../types';
import { createLine } from './create.operation';
import { deleteLine } from './delete.operation';
import { getAllLines } from './getAll.operation';
import { updateLine } from './update.operation';

/** External lines, by their `operation` value. Bitrix24 identifies lines by NUMBER, not by ID. */
export const lineOperations: Record<string, OperationDefinition> = {
	create: createLine,
	delete: deleteLine,
	getAll: getAllLines,
	update: updateLine,
};

export const lineOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['line'] } },
	options: [
		{
			name: 'Create',
			value: 'create',
			description: 'Add an external line (a DID or trunk number)',
			action: 'Create an external line with a DID or trunk number',
		},
		{
			name: 'Delete',
			value: 'delete',
			description: 'Remove an external line',
			action: 'Delete an external line by its number',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the external lines',
			action: 'Get the external lines of the portal',
		},
		{
			name: 'Update',
			value: 'update',
			description: 'Rename a line or change its CRM flag',
			action: 'Update the name or CRM flag of an external line by its number',
		},
	],
	default: 'create',
};

export const lineFields: INodeProperties[] = [
	...Object.values(lineOperations).flatMap((operation) => operation.description),
	optionsField({ resource: ['line'] }, { batching: false }),
];
