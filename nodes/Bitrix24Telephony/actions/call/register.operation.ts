/**
 * Call → Register: `telephony.externalcall.register`. Bitrix24 finds the caller in the CRM (or
 * creates a lead), shows the call card to the employee, and returns CALL_ID and the CRM entities.
 * Its fields, reading, command and output are here; Log Completed Call reuses them.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import {
	isBlank,
	toCallStartDate,
	toCallType,
	toCrmEntityType,
	toFlag,
	toIdentifier,
	toPhoneNumber,
	toPositiveInteger,
	toText,
} from '../checks';
import {
	lineLocatorProperty,
	simplifyFields,
	SIMPLIFY_FIELD,
	userIdentificationFields,
	type ShowWhen,
} from '../descriptions';
import { additionalFieldsByVersion, LEGACY_FIELDS } from '../versions';
import {
	crmEntityUrl,
	crmPairError,
	DIRECTIONS,
	nodeParameter,
	readCollection,
	readField,
	readParameter,
	readUserIdentification,
	toLineNumber,
} from '../read';
import type { Bitrix24Command, OperationDefinition } from '../types';

/** Fields named in errors (those in Additional Fields are named by REGISTER_ADDITIONAL_FIELDS). */
export const REGISTER_FIELDS = {
	externalCallId: { name: 'externalCallId', displayName: 'External Call ID' },
	phoneNumber: { name: 'phoneNumber', displayName: 'Phone Number' },
	type: { name: 'type', displayName: 'Call Type' },
	crmSource: { name: 'crmSource', displayName: 'CRM Source' },
};

export const CALL_TYPE_OPTIONS = [
	{ name: 'Outgoing', value: 1, description: 'The employee called the client (TYPE 1)' },
	{ name: 'Incoming', value: 2, description: 'The client called the company (TYPE 2)' },
	{ name: 'Incoming With Redirection', value: 3, description: 'Forwarded elsewhere (TYPE 3)' },
	{ name: 'Callback', value: 4, description: 'A call back, e.g. from a web form (TYPE 4)' },
	{ name: 'Informational', value: 5, description: 'An automatic informational call (TYPE 5)' },
];

export const REGISTER_ADDITIONAL_FIELDS: INodeProperties[] = [
	{
		displayName: 'Add to Chat',
		name: 'addToChat',
		type: 'boolean',
		default: true,
		description:
			"Whether Bitrix24 posts a message about the call in the employee's chat. Bitrix24's register never reads ADD_TO_CHAT (the telephony module ignores it there): the message is posted when the call is finished, as Finish's Add to Chat decides. In Log Completed Call this value is sent with the finish.",
	},
	{
		displayName: 'Call List ID',
		name: 'callListId',
		type: 'number',
		default: 0,
		description: 'ID of the CRM call list the call belongs to (CALL_LIST_ID)',
	},
	{
		displayName: 'Call Start Date',
		name: 'callStartDate',
		type: 'dateTime',
		default: '',
		description:
			"When the call started (CALL_START_DATE). Always sent with a UTC offset; a value without one is read in the workflow's timezone. Accepts ISO 8601, a Unix timestamp or a date from an expression. Defaults to now.",
	},
	{
		displayName: 'Create CRM Lead',
		name: 'crmCreate',
		type: 'boolean',
		default: true,
		description:
			'Whether Bitrix24 creates a lead (or a deal, in simple CRM mode) when no client has this number (CRM_CREATE)',
	},
	{
		displayName: 'CRM Entity ID',
		name: 'crmEntityId',
		type: 'number',
		default: 0,
		description:
			'Bind the call to this CRM record instead of searching by number (CRM_ENTITY_ID). Needs CRM Entity Type. 0 means not set.',
	},
	{
		displayName: 'CRM Entity Type',
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
		displayName: 'External Call ID (Legacy)',
		name: 'externalCallId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1710140185.18441',
		description:
			'Where External Call ID lived in workflows saved before it moved to the top; still sent. When both are set, the one at the top wins.',
	},
	lineLocatorProperty(
		{ name: 'lineNumber', displayName: 'Line Number' },
		'The external line the call came in on or went out through (LINE_NUMBER), e.g. the DID. Bitrix24 shows it on the call card and uses its settings (e.g. lead creation).',
	),
	{
		displayName: 'Show Call Card',
		name: 'show',
		type: 'boolean',
		default: true,
		description: 'Whether Bitrix24 pops up the call card for the employee now (SHOW)',
	},
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
		...additionalFieldsByVersion(showFor, REGISTER_ADDITIONAL_FIELDS, LEGACY_FIELDS.register),
	];
}

/** Reads and validates every Register parameter of item `itemIndex` into Bitrix24's names. */
export function readRegisterParams(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const params: IDataObject = { ...readUserIdentification(ctx, itemIndex) };
	const { phoneNumber, type } = REGISTER_FIELDS;
	params.PHONE_NUMBER = readParameter(ctx, itemIndex, phoneNumber, '', toPhoneNumber);
	params.TYPE = readParameter(ctx, itemIndex, type, 2, toCallType);
	const extra = readCollection(ctx, itemIndex, 'additionalFields', REGISTER_ADDITIONAL_FIELDS);
	const { read } = extra;
	const zone = ctx.getTimezone();
	params.CALL_START_DATE = read('callStartDate', (v) => toCallStartDate(v, zone));
	params.CRM_CREATE = read('crmCreate', toFlag);
	params.CRM_SOURCE = read('crmSource', (v) => toText(v, { maxLength: 50 }) || undefined);
	params.SHOW = read('show', toFlag);
	params.ADD_TO_CHAT = read('addToChat', toFlag);
	params.LINE_NUMBER = read('lineNumber', toLineNumber);
	// EXTERNAL_CALL_ID: the field at the top wins; the one in Additional Fields (where workflows
	// saved before it moved keep it) is used when the top one is empty.
	const toCallId = (value: unknown) => toIdentifier(value, { maxLength: 255 }) || undefined;
	const top = nodeParameter(ctx, REGISTER_FIELDS.externalCallId.name, itemIndex, '');
	params.EXTERNAL_CALL_ID = isBlank(top)
		? read('externalCallId', toCallId)
		: readField(ctx, itemIndex, REGISTER_FIELDS.externalCallId, top, toCallId);
	// A number field's untouched default is 0: treat it as "not set", not as an invalid ID.
	const optionalId = (key: 'callListId' | 'crmEntityId') =>
		extra.values[key] === 0 || extra.values[key] === '0'
			? undefined
			: read(key, (v) => toPositiveInteger(v));
	params.CALL_LIST_ID = optionalId('callListId');

	const entityId = optionalId('crmEntityId');
	const entityType = read('crmEntityType', toCrmEntityType);
	const pairError = crmPairError(ctx, itemIndex, extra.field, { id: entityId, type: entityType });
	if (pairError) throw pairError;
	params.CRM_ENTITY_TYPE = entityType;
	params.CRM_ENTITY_ID = entityId;
	for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
	return params;
}

/**
 * The command. Repeating a register is harmless only when Bitrix24's 30-minute dedup will
 * recognise it: the same EXTERNAL_CALL_ID, and a start date inside the window (backfilled calls
 * never dedup).
 */
export function registerCommand(params: IDataObject, now = Date.now()): Bitrix24Command {
	const started =
		params.CALL_START_DATE === undefined ? now : Date.parse(String(params.CALL_START_DATE));
	const idempotent =
		params.EXTERNAL_CALL_ID !== undefined &&
		Number.isFinite(started) &&
		now - started < 25 * 60_000;
	return { method: 'telephony.externalcall.register', params, idempotent };
}

/** What was sent, in plain words: phone number, direction and employee. */
export function callContext(params: IDataObject): IDataObject {
	const context: IDataObject = {
		phoneNumber: params.PHONE_NUMBER,
		type: params.TYPE,
		direction: DIRECTIONS[Number(params.TYPE)],
	};
	const optional = {
		userId: 'USER_ID',
		userPhoneInner: 'USER_PHONE_INNER',
		externalCallId: 'EXTERNAL_CALL_ID',
		lineNumber: 'LINE_NUMBER',
	};
	for (const [key, name] of Object.entries(optional))
		if (params[name] !== undefined) context[key] = params[name];
	return context;
}

/** Register's result → `{ callId, phoneNumber, direction, …, crmEntityUrl }`. */
export function simplifiedRegister(json: IDataObject): IDataObject {
	const call = (json.call ?? {}) as IDataObject;
	const simple: IDataObject = {
		callId: json.CALL_ID,
		phoneNumber: call.phoneNumber,
		direction: call.direction,
		userId: call.userId,
		userPhoneInner: call.userPhoneInner,
		externalCallId: call.externalCallId,
		lineNumber: call.lineNumber,
		crmEntityType: json.CRM_ENTITY_TYPE ?? null,
		crmEntityId: json.CRM_ENTITY_ID ?? null,
		crmEntityUrl: json.crmEntityUrl ?? null,
		leadCreated: Number(json.CRM_CREATED_LEAD ?? 0) > 0,
	};
	if (json.LEAD_CREATION_ERROR !== undefined) simple.leadCreationError = json.LEAD_CREATION_ERROR;
	for (const key of Object.keys(simple)) if (simple[key] === undefined) delete simple[key];
	return simple;
}

const show = { resource: ['call'], operation: ['register'] };

export const register: OperationDefinition = {
	description: [...registerFields(show), ...simplifyFields(show)],
	prepare(itemIndex, { portalUrl }) {
		const params = readRegisterParams(this, itemIndex);
		const simplify = nodeParameter(this, SIMPLIFY_FIELD.name, itemIndex, false) === true;
		return {
			commands: { register: registerCommand(params) },
			output: ({ register: result }) => {
				const json = { ...(result as IDataObject) };
				const url = crmEntityUrl(portalUrl, json.CRM_ENTITY_TYPE, json.CRM_ENTITY_ID);
				if (url) json.crmEntityUrl = url;
				json.call = callContext(params);
				return simplify ? simplifiedRegister(json) : json;
			},
		};
	},
};
