/**
 * Call → Register: `telephony.externalcall.register`. Bitrix24 finds the caller in the CRM (or
 * creates a lead), shows the call card to the employee, and returns CALL_ID and the CRM entities.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	optionalAdditionalFields,
	readUserIdentification,
	userIdentificationFields,
} from '../common';
import { invalidField } from '../itemError';
import { readField } from '../readField';
import type { Bitrix24Command, OperationDefinition, ShowWhen } from '../types';
import {
	isBlank,
	toCallStartDate,
	toCallType,
	toCrmEntityType,
	toFlag,
	toPhoneNumber,
	toPositiveInteger,
	toText,
} from '../values';
import { callContext, crmEntityUrl } from './output';

const show = { resource: ['call'], operation: ['register'] };

export const REGISTER_FIELDS = {
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
	externalCallId: { name: 'additionalFields.externalCallId', displayName: 'External Call ID' },
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
			placeholder: '+4915112345678',
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
				displayName: REGISTER_FIELDS.externalCallId.displayName,
				name: 'externalCallId',
				type: 'string',
				default: '',
				placeholder: '1710140185.18441',
				description:
					"The PBX's own ID of the call, e.g. Asterisk's linkedid (EXTERNAL_CALL_ID). Strongly recommended: it keeps two calls from the same number apart, and makes a retried register safe.",
			},
			{
				displayName: REGISTER_FIELDS.lineNumber.displayName,
				name: 'lineNumber',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getLines' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			},
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

/** Reads and validates every Register parameter of item `itemIndex` into Bitrix24's names. */
export function readRegisterParams(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const params: IDataObject = { ...readUserIdentification(ctx, itemIndex) };
	params.PHONE_NUMBER = readField(
		ctx,
		itemIndex,
		REGISTER_FIELDS.phoneNumber,
		ctx.getNodeParameter(REGISTER_FIELDS.phoneNumber.name, itemIndex, ''),
		toPhoneNumber,
	);
	params.TYPE = readField(
		ctx,
		itemIndex,
		REGISTER_FIELDS.type,
		ctx.getNodeParameter('type', itemIndex, 2),
		toCallType,
	);

	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const read = <T>(
		key: keyof typeof REGISTER_FIELDS,
		check: (value: unknown) => T,
	): T | undefined =>
		isBlank(extra[key])
			? undefined
			: readField(ctx, itemIndex, REGISTER_FIELDS[key], extra[key], check);

	const zone = ctx.getTimezone();
	params.CALL_START_DATE = read('callStartDate', (v) => toCallStartDate(v, zone));
	params.CRM_CREATE = read('crmCreate', toFlag);
	params.CRM_SOURCE = read('crmSource', (v) => toText(v, { maxLength: 50 }) || undefined);
	params.SHOW = read('show', toFlag);
	params.ADD_TO_CHAT = read('addToChat', toFlag);
	params.LINE_NUMBER = read('lineNumber', (v) => toText(v, { maxLength: 50 }) || undefined);
	params.EXTERNAL_CALL_ID = read(
		'externalCallId',
		(v) => toText(v, { maxLength: 255 }) || undefined,
	);
	// A number field's untouched default is 0: treat it as "not set", not as an invalid ID.
	const optionalId = (key: 'callListId' | 'crmEntityId') =>
		extra[key] === 0 || extra[key] === '0' ? undefined : read(key, (v) => toPositiveInteger(v));
	params.CALL_LIST_ID = optionalId('callListId');

	// Bitrix24 uses the CRM pair only when both are set, and silently searches by number otherwise.
	const entityId = optionalId('crmEntityId');
	const entityType = read('crmEntityType', toCrmEntityType);
	if ((entityId === undefined) !== (entityType === undefined)) {
		const missing =
			entityId === undefined ? REGISTER_FIELDS.crmEntityId : REGISTER_FIELDS.crmEntityType;
		throw invalidField(
			ctx,
			itemIndex,
			missing,
			'is missing',
			'CRM Entity Type and CRM Entity ID only work together: set both, or remove both.',
		);
	}
	params.CRM_ENTITY_TYPE = entityType;
	params.CRM_ENTITY_ID = entityId;
	for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
	return params;
}

/**
 * Repeating a register is harmless only when Bitrix24's 30-minute dedup will recognise it: the
 * same EXTERNAL_CALL_ID, and a start date inside the window (backfilled calls never dedup).
 */
export function registerIsIdempotent(params: IDataObject, now = Date.now()): boolean {
	if (params.EXTERNAL_CALL_ID === undefined) return false;
	if (params.CALL_START_DATE === undefined) return true;
	const started = Date.parse(String(params.CALL_START_DATE));
	return Number.isFinite(started) && now - started < 25 * 60 * 1000;
}

export function registerCommand(params: IDataObject): Bitrix24Command {
	return {
		method: 'telephony.externalcall.register',
		params,
		idempotent: registerIsIdempotent(params),
	};
}

export const register: OperationDefinition = {
	description: registerFields(show),
	prepare(itemIndex, { portalUrl }) {
		const params = readRegisterParams(this, itemIndex);
		return {
			commands: { register: registerCommand(params) },
			output: ({ register: result }) => {
				const json = { ...(result as IDataObject) };
				const url = crmEntityUrl(portalUrl, json.CRM_ENTITY_TYPE, json.CRM_ENTITY_ID);
				if (url) json.crmEntityUrl = url;
				json.call = callContext(params);
				return json;
			},
		};
	},
};
