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
			description:
				'Attach the recording (MP3 or WAV) of a finished call. Needs the CALL_ID and the recording (a URL, or binary data outside AI agents).',
			action: 'Attach a recording from an MP3 or WAV URL to a finished call by its CALL_ID',
		},
		{
			name: 'Attach Transcription',
			value: 'attachTranscription',
			description:
				'Attach the text of the conversation to a finished call. Needs the CALL_ID and the messages: who spoke (Client or User), from and to which second, what was said.',
			action: 'Attach a conversation transcript to a finished call by its CALL_ID',
		},
		{
			name: 'Finish',
			value: 'finish',
			description:
				'End a call: logs it in the CRM with its duration and result. Needs the CALL_ID from Register, the employee (extension or user ID), the talk time in seconds and the status (e.g. 200 answered, 304 missed).',
			action: 'Finish a call by its CALL_ID with the talk time and the outcome',
		},
		{
			name: 'Get Call History',
			value: 'getCallHistory',
			description:
				'List finished calls from the telephony statistics, e.g. to check what Bitrix24 already logged. Optional filters: call ID, External Call ID, phone number, employee, line, type, status, start dates.',
			action: 'Get finished calls from the call history by number or employee or date',
		},
		{
			name: 'Hide Card',
			value: 'hide',
			description:
				'Hide the call card of an active call from employees, e.g. when a colleague answered. Needs the CALL_ID and the employees.',
			action: 'Hide the card of an active call from employees by its CALL_ID',
		},
		{
			name: 'Log Completed Call',
			value: 'logCompletedCall',
			description:
				"Register and finish a past call in one request, with its recording and transcript if given, e.g. from a CDR or an AI voice agent. Needs the client's phone number, the employee (extension or user ID), the direction, the talk time and the status.",
			action: 'Log a call that already ended with its phone number and employee and talk time',
		},
		{
			name: 'Register',
			value: 'register',
			description:
				"Log a new call that is starting: finds the caller in the CRM (or creates a lead) and pops up the call card. Needs the client's phone number and the employee (extension or user ID); returns the CALL_ID that Finish needs.",
			action: 'Register a new call for a phone number and an employee and get its CALL_ID',
		},
		{
			name: 'Search CRM Entities',
			value: 'searchCrmEntities',
			description:
				'Find the contacts, companies and leads with a phone number, and who is responsible for them (their extension and whether they are at work). Needs the phone number.',
			action: 'Find the CRM records with a phone number and the employee responsible for them',
		},
		{
			name: 'Show Card',
			value: 'show',
			description:
				'Show the call card of an active call to employees, e.g. to everyone in a queue. Needs the CALL_ID and the employees.',
			action: 'Show the card of an active call to employees by its CALL_ID',
		},
	],
	default: 'register',
};

export const callFields: INodeProperties[] = [
	...Object.values(callOperations).flatMap((operation) => operation.description),
	// Search CRM Entities and Log Completed Call have their own (with their own options).
	optionsField(
		{
			resource: ['call'],
			operation: Object.keys(callOperations).filter(
				(name) => name !== 'searchCrmEntities' && name !== 'logCompletedCall',
			),
		},
		{ batching: true },
	),
];
