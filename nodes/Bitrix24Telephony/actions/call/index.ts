import type { INodeProperties } from 'n8n-workflow';

import { optionsField } from '../common';
import type { OperationDefinition } from '../types';
import { register } from './register.operation';

/** The call operations, by their `operation` value. */
export const callOperations: Record<string, OperationDefinition> = {
	register,
};

export const callOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['call'] } },
	options: [
		{
			name: 'Register',
			value: 'register',
			description: 'Log a new call: finds the caller in the CRM (or creates a lead) and pops up the call card',
			action: 'Register a call',
		},
	],
	default: 'register',
};

export const callFields: INodeProperties[] = [
	...Object.values(callOperations).flatMap((operation) => operation.description),
	optionsField({ resource: ['call'] }, { batching: true }),
];
