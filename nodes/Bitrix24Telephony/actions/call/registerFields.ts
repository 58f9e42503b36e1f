/**
 * The fields of Call → Register, reused by Log Completed Call: who, which number, which direction,
 * and the PBX's own call ID at the top (what keeps two calls from one number apart).
 */
import type { INodeProperties } from 'n8n-workflow';

import { optionalAdditionalFields, userIdentificationFields } from '../common';
import { lineLocatorProperty } from '../lineLocator';
import type { ShowWhen } from '../types';

export const REGISTER_FIELDS = {
	externalCallId: { name: 'externalCallId', displayName: 'External Call ID' },
	phoneNumber: { name: 'phoneNumber', displayName: 'Phone Number' },
	type: { name: 'type', displayName: 'Call Type' },
	callStartDate: { name: 'additionalFields.callStartDate', displayName: 'Call Start Date' },
	crmCreate: { name: 'additionalFields.crmCreate', displayName: 'Create CRM Lead' },
	crmSource: { name: 'additionalFields.crmSource', displayName: 'CRM Source' },
	crmEntityType: { name: 'additionalFields.crmEntityType', displayName: 'CRM Entity Type' },
	crmEntityId: { name: 'additionalFields.crmEntityId', displayName: 'CRM Entity ID' },
	show: { name: 'additionalFields.show', displayName: 'Show Call Card' },
	callListId: { name: 'additionalFields.callListId', displayName: 'Call List ID' },
	lineNumber: { name: 'additionalFields.lineNumber', displayName: 'Line Number' },
	addToChat: { name: 'additionalFields.addToChat', displayName: 'Add to Chat' },
	legacyExternalCallId: {
		name: 'additionalFields.externalCallId',
		displayName: 'External Call ID (Legacy)',
	},
};

export const CALL_TYPE_OPTIONS = [
	{ name: 'Outgoing', value: 1, description: 'The employee called the client (TYPE 1)' },
	{ name: 'Incoming', value: 2, description: 'The client called the company (TYPE 2)' },
	{
		name: 'Incoming With Redirection',
		value: 3,
		description: 'An incoming call forwarded to another number (TYPE 3)',
	},
	{
		name: 'Callback',
		value: 4,
		description: 'A call back to the client, e.g. from a website form (TYPE 4)',
	},
	{ name: 'Informational', value: 5, description: 'An automatic informational call (TYPE 5)' },
];

/** The Register fields, reused by Log Completed Call. */
export function registerFields(showFor: ShowWhen): INodeProperties[] {
	return [
		{
			displayName: REGISTER_FIELDS.externalCallId.displayName,
			name: REGISTER_FIELDS.externalCallId.name,
			type: 'string',
			default: '',
			placeholder: 'e.g. 1710140185.18441',
			description:
				"The PBX's own ID of the call (EXTERNAL_CALL_ID), e.g. Asterisk's linkedid. Strongly recommended: Bitrix24 treats two calls from one number within 30 minutes as one call without it, and with it a retried Register is safe.",
			displayOptions: { show: showFor },
		},
		...userIdentificationFields(
			showFor,
			'the call belongs to (their call card pops up, they own the CRM activity)',
		),
		{
			displayName: REGISTER_FIELDS.phoneNumber.displayName,
			name: REGISTER_FIELDS.phoneNumber.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +4915112345678',
			description:
				"The client's number (PHONE_NUMBER), best in international format with +. Bitrix24 finds the client in the CRM by this number.",
			displayOptions: { show: showFor },
		},
		{
			displayName: REGISTER_FIELDS.type.displayName,
			name: REGISTER_FIELDS.type.name,
			type: 'options',
			options: CALL_TYPE_OPTIONS,
			default: 2,
			description: 'Direction of the call (TYPE)',
			displayOptions: { show: showFor },
		},
		optionalAdditionalFields(showFor, [
			{
				displayName: REGISTER_FIELDS.addToChat.displayName,
				name: 'addToChat',
				type: 'boolean',
				default: true,
				description:
					"Whether Bitrix24 posts a message about the call in the employee's chat (ADD_TO_CHAT)",
			},
			{
				displayName: REGISTER_FIELDS.callListId.displayName,
				name: 'callListId',
				type: 'number',
				default: 0,
				description: 'ID of the CRM call list the call belongs to (CALL_LIST_ID)',
			},
			{
				displayName: REGISTER_FIELDS.callStartDate.displayName,
				name: 'callStartDate',
				type: 'dateTime',
				default: '',
				description:
					"When the call started (CALL_START_DATE). Always sent with a UTC offset; a value without one is read in the workflow's timezone. Accepts ISO 8601, a Unix timestamp or a date from an expression. Defaults to now.",
			},
			{
				displayName: REGISTER_FIELDS.crmCreate.displayName,
				name: 'crmCreate',
				type: 'boolean',
				default: true,
				description:
					'Whether Bitrix24 creates a lead (or a deal, in simple CRM mode) when no client has this number (CRM_CREATE)',
			},
			{
				displayName: REGISTER_FIELDS.crmEntityId.displayName,
				name: 'crmEntityId',
				type: 'number',
				default: 0,
				description:
					'Bind the call to this CRM record instead of searching by number (CRM_ENTITY_ID). Needs CRM Entity Type.',
			},
			{
				displayName: REGISTER_FIELDS.crmEntityType.displayName,
				name: 'crmEntityType',
				type: 'options',
				options: [
					{ name: 'Company', value: 'COMPANY' },
					{ name: 'Contact', value: 'CONTACT' },
					{ name: 'Lead', value: 'LEAD' },
				],
				default: 'CONTACT',
				description:
					'Type of the CRM record to bind the call to (CRM_ENTITY_TYPE). Needs CRM Entity ID.',
			},
			{
				displayName: REGISTER_FIELDS.crmSource.displayName,
				name: 'crmSource',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCrmSources' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
			{
				displayName: REGISTER_FIELDS.legacyExternalCallId.displayName,
				name: 'externalCallId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1710140185.18441',
				description:
					'Where External Call ID lived in workflows saved before it moved to the top; still sent. When both are set, the one at the top wins.',
			},
			lineLocatorProperty(
				{ name: 'lineNumber', displayName: REGISTER_FIELDS.lineNumber.displayName },
				'The external line the call came in on or went out through (LINE_NUMBER), e.g. the DID. Bitrix24 shows it on the call card and uses its settings (e.g. lead creation).',
			),
			{
				displayName: REGISTER_FIELDS.show.displayName,
				name: 'show',
				type: 'boolean',
				default: true,
				description: 'Whether Bitrix24 pops up the call card for the employee now (SHOW)',
			},
		]),
	];
}
