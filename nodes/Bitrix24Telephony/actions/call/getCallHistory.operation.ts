/**
 * Call → Get Call History: `voximplant.statistic.get`, the portal's telephony statistics (every
 * finished call, external or built-in). A PBX workflow uses it to check what Bitrix24 already
 * logged (e.g. by EXTERNAL_CALL_ID before re-sending a CDR) and to report on calls.
 * https://github.com/bitrix24/b24restdocs/blob/main/api-reference/telephony/voximplant/voximplant-statistic-get.md
 * Bitrix24 pages the list by 50 (`start`, `next`); the reader needs "Call statistics: view".
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { optionalAdditionalFields, returnAllFields } from '../descriptions';
import { crmEntityUrl, readField, readResultLimit } from '../read';
import type { OperationDefinition } from '../types';
import {
	isBlank,
	toCallStartDate,
	toCallType,
	toPositiveInteger,
	toText,
	ValueProblem,
} from '../checks';
import { STATUS_CODES } from './finish.operation';

const METHOD = 'voximplant.statistic.get';
const show = { resource: ['call'], operation: ['getCallHistory'] };

/** Filter fields of the collection → Bitrix24 FILTER keys (with their comparison prefix). */
const FILTERS = {
	callId: { displayName: 'Call ID', key: 'CALL_ID' },
	externalCallId: { displayName: 'External Call ID', key: 'EXTERNAL_CALL_ID' },
	phoneNumber: { displayName: 'Phone Number', key: 'PHONE_NUMBER' },
	userId: { displayName: 'User ID', key: 'PORTAL_USER_ID' },
	lineNumber: { displayName: 'Line Number', key: 'PORTAL_NUMBER' },
	callType: { displayName: 'Call Type', key: 'CALL_TYPE' },
	statusCode: { displayName: 'Status Code', key: 'CALL_FAILED_CODE' },
	startedAfter: { displayName: 'Started After', key: '>=CALL_START_DATE' },
	startedBefore: { displayName: 'Started Before', key: '<=CALL_START_DATE' },
} as const;

type FilterName = keyof typeof FILTERS;

function toStatusCode(value: unknown): string {
	const code = toText(value, { maxLength: 10 }).toUpperCase();
	if (!STATUS_CODES.includes(code))
		throw new ValueProblem(`is "${code}", not one of ${STATUS_CODES.join(', ')}`);
	return code;
}

/**
 * Register stores the client number as `CVoxImplantPhone::stripLetters` leaves it: digits and
 * `+ # * , ;` only (docs/bitrix24-fidelity.md rows 48, 54). The filter compares exactly, so the
 * value is stripped the same way: "+49 151-123 45" finds "+4915112345".
 */
function toStoredPhoneNumber(value: unknown): string {
	const stripped = toText(value, { maxLength: 64 }).replace(/[^0-9#*+,;]/g, '');
	if (stripped === '') throw new ValueProblem('has no digits');
	return stripped;
}

function readFilter(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const zone = ctx.getTimezone();
	const checks: Record<FilterName, (value: unknown) => unknown> = {
		callId: (v) => toText(v),
		externalCallId: (v) => toText(v),
		phoneNumber: toStoredPhoneNumber,
		userId: (v) => toPositiveInteger(v),
		lineNumber: (v) => toText(v, { maxLength: 50 }),
		callType: (v) => toCallType(v),
		statusCode: toStatusCode,
		startedAfter: (v) => toCallStartDate(v, zone),
		startedBefore: (v) => toCallStartDate(v, zone),
	};
	const filter: IDataObject = {};
	for (const name of Object.keys(FILTERS) as FilterName[]) {
		// A number field left at 0 is a filter added but not filled in.
		if (isBlank(raw[name]) || raw[name] === 0) continue;
		const field = { name: `filters.${name}`, displayName: FILTERS[name].displayName };
		filter[FILTERS[name].key] = readField(ctx, itemIndex, field, raw[name], checks[name]) as
			| string
			| number;
	}
	return filter;
}

export const getCallHistory: OperationDefinition = {
	description: [
		...returnAllFields(show),
		{
			displayName: 'Order',
			name: 'order',
			type: 'options',
			options: [
				{ name: 'Newest First', value: 'DESC' },
				{ name: 'Oldest First', value: 'ASC' },
			],
			default: 'DESC',
			description: 'By the time the call started',
			displayOptions: { show },
		},
		{
			...optionalAdditionalFields(show, [
				{
					displayName: FILTERS.callId.displayName,
					name: 'callId',
					type: 'string',
					default: '',
					description: 'The CALL_ID Register returned',
				},
				{
					displayName: FILTERS.callType.displayName,
					name: 'callType',
					type: 'options',
					options: [
						{ name: 'Outgoing', value: 1 },
						{ name: 'Incoming', value: 2 },
						{ name: 'Incoming With Redirection', value: 3 },
						{ name: 'Callback', value: 4 },
						{ name: 'Informational', value: 5 },
					],
					default: 2,
				},
				{
					displayName: FILTERS.externalCallId.displayName,
					name: 'externalCallId',
					type: 'string',
					default: '',
					description: "The PBX's call ID sent with Register (EXTERNAL_CALL_ID)",
				},
				{
					displayName: FILTERS.lineNumber.displayName,
					name: 'lineNumber',
					type: 'string',
					default: '',
					description: 'The line the call went through (PORTAL_NUMBER)',
				},
				{
					displayName: FILTERS.phoneNumber.displayName,
					name: 'phoneNumber',
					type: 'string',
					default: '',
					description:
						'The client number. Bitrix24 stores it without spaces, dashes or brackets (e.g. +4915112345678), so they are removed here too; a number registered with a leading + is stored with it, one registered without it without.',
				},
				{
					displayName: FILTERS.startedAfter.displayName,
					name: 'startedAfter',
					type: 'dateTime',
					default: '',
					description: 'Only calls that started at or after this time',
				},
				{
					displayName: FILTERS.startedBefore.displayName,
					name: 'startedBefore',
					type: 'dateTime',
					default: '',
					description: 'Only calls that started at or before this time',
				},
				{
					displayName: FILTERS.statusCode.displayName,
					name: 'statusCode',
					type: 'string',
					default: '',
					placeholder: 'e.g. 304',
					description: 'The call result code (CALL_FAILED_CODE), e.g. 200 answered, 304 missed',
				},
				{
					displayName: FILTERS.userId.displayName,
					name: 'userId',
					type: 'number',
					default: 0,
					description: 'The employee the call was logged for (PORTAL_USER_ID)',
				},
			]),
			displayName: 'Filters',
			name: 'filters',
			placeholder: 'Add Filter',
		},
	],
	prepare(itemIndex, { portalUrl }) {
		const limit = readResultLimit(this, itemIndex);
		const order = this.getNodeParameter('order', itemIndex, 'DESC') === 'ASC' ? 'ASC' : 'DESC';
		const params: IDataObject = {
			FILTER: readFilter(this, itemIndex),
			SORT: 'CALL_START_DATE',
			ORDER: order,
		};
		return {
			run: async (transport) => {
				const rows: IDataObject[] = [];
				let start = 0;
				while (rows.length < limit) {
					const envelope = await transport.call(METHOD, { ...params, start }, { idempotent: true });
					const batch = Array.isArray(envelope.result) ? (envelope.result as IDataObject[]) : [];
					rows.push(...batch);
					if (batch.length === 0 || typeof envelope.next !== 'number') break;
					start = envelope.next;
				}
				return rows.slice(0, limit).map((row) => {
					const url = crmEntityUrl(portalUrl, row.CRM_ENTITY_TYPE, row.CRM_ENTITY_ID);
					return url ? { ...row, crmEntityUrl: url } : row;
				});
			},
		};
	},
};
