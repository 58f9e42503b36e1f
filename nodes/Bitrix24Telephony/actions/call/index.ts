import type { INodeProperties } from 'n8n-workflow';

import { optionsField } from '../descriptions';
import type { OperationDefinition } from '../types';
import { attachRecord } from './attachRecord.operation';
import { attachTranscription } from './attachTranscription.operation';
import { hideCard } from './hideCard.operation';
import { showCard } from './showCard.operation';
import { finish } from './finish.operation';
import { getCallHistory } from './getCallHistory.operation';
import { logCompletedCall } from './logCompletedCall.operation';
import { register } from './register.operation';
import { searchCrmEntities } from './searchCrmEntities.operation';

/** The call operations, by their `operation` value. */
export const callOperations: Record<string, OperationDefinition> = {
	register,
	finish,
	show: showCard,
	hide: hideCard,
	attachRecord,
	attachTranscription,
	searchCrmEntities,
	logCompletedCall,
	getCallHistory,
};

export const callOperationField: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['call'] } },
	options: [
		{
			name: 'Attach Record',
			value: 'attachRecord',
			description: 'Attach the recording (MP3 or WAV) to a finished call',
			action: 'Attach a recording to a call',
		},
		{
			name: 'Attach Transcription',
			value: 'attachTranscription',
			description: 'Attach the text of the conversation to a finished call',
			action: 'Attach a transcription to a call',
		},
		{
			name: 'Finish',
			value: 'finish',
			description: 'End a call: logs it in the CRM with its duration and result',
			action: 'Finish a call',
		},
		{
			name: 'Get Call History',
			value: 'getCallHistory',
			description:
				'List finished calls from the telephony statistics, e.g. to check what Bitrix24 already logged',
			action: 'Get call history',
		},
		{
			name: 'Hide Card',
			value: 'hide',
			description: 'Hide the call card from employees, e.g. when a colleague answered',
			action: 'Hide a call card',
		},
		{
			name: 'Log Completed Call',
			value: 'logCompletedCall',
			description:
				'Register and finish a past call (and attach its recording) in one request, e.g. from a CDR',
			action: 'Log a completed call',
		},
		{
			name: 'Register',
			value: 'register',
			description:
				'Log a new call: finds the caller in the CRM (or creates a lead) and pops up the call card',
			action: 'Register a call',
		},
		{
			name: 'Search CRM Entities',
			value: 'searchCrmEntities',
			description:
				'Find the contacts, companies and leads with a phone number, and who is responsible for them',
			action: 'Search CRM entities by phone number',
		},
		{
			name: 'Show Card',
			value: 'show',
			description: 'Show the call card of an active call to employees, e.g. to everyone in a queue',
			action: 'Show a call card',
		},
	],
	default: 'register',
};

export const callFields: INodeProperties[] = [
	...Object.values(callOperations).flatMap((operation) => operation.description),
	// Search CRM Entities has its own (with its no-match option).
	optionsField(
		{
			resource: ['call'],
			operation: Object.keys(callOperations).filter((name) => name !== 'searchCrmEntities'),
		},
		{ batching: true },
	),
];
