/**
 * Fields and readers shared by several operations: who the call belongs to (Register, Finish,
 * Log Completed Call), "Return All" / "Limit" of the list operations, and the node-wide options.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readField } from './readField';
import type { ShowWhen } from './types';
import { isBlank, toIdentifier, toPositiveInteger, ValueProblem } from './checks';

export const USER_FIELDS = {
	userIdentification: { name: 'userIdentification', displayName: 'Identify Employee By' },
	userPhoneInner: { name: 'userPhoneInner', displayName: 'Extension' },
	userId: { name: 'userId', displayName: 'User' },
};

/** `USER_ID` or `USER_PHONE_INNER`: Bitrix24 needs exactly one of them (it marks both required). */
export function userIdentificationFields(show: ShowWhen, purpose: string): INodeProperties[] {
	return [
		{
			displayName: USER_FIELDS.userIdentification.displayName,
			name: USER_FIELDS.userIdentification.name,
			type: 'options',
			noDataExpression: true,
			options: [
				{
					name: 'Extension',
					value: 'extension',
					description:
						'The internal phone number of the employee, as the PBX knows it (USER_PHONE_INNER)',
				},
				{ name: 'User', value: 'userId', description: 'The Bitrix24 user (USER_ID)' },
			],
			default: 'extension',
			description: `How to tell Bitrix24 which employee ${purpose}`,
			displayOptions: { show },
		},
		{
			displayName: USER_FIELDS.userPhoneInner.displayName,
			name: USER_FIELDS.userPhoneInner.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 101',
			description:
				'The employee\'s extension (USER_PHONE_INNER). Bitrix24 looks it up in the "Internal phone" field of the employee\'s profile.',
			displayOptions: { show: { ...show, userIdentification: ['extension'] } },
		},
		{
			displayName: USER_FIELDS.userId.displayName,
			name: USER_FIELDS.userId.name,
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
			description: 'The Bitrix24 employee (USER_ID)',
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'e.g. Anna or 101',
					typeOptions: { searchListMethod: 'searchUsers', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. 1',
					validation: [
						{
							type: 'regex',
							properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'A user ID is a number' },
						},
					],
				},
			],
			displayOptions: { show: { ...show, userIdentification: ['userId'] } },
		},
	];
}

/** `{ USER_ID }` or `{ USER_PHONE_INNER }`, validated. */
export function readUserIdentification(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { USER_ID: number } | { USER_PHONE_INNER: string } {
	const mode = ctx.getNodeParameter(
		USER_FIELDS.userIdentification.name,
		itemIndex,
		'extension',
	) as string;
	if (mode === 'userId') {
		const raw = ctx.getNodeParameter(USER_FIELDS.userId.name, itemIndex, '', {
			extractValue: true,
		});
		const check = (value: unknown) => {
			if (isBlank(value))
				throw new ValueProblem('is empty', 'Choose the employee, or map their Bitrix24 user ID.');
			return toPositiveInteger(value);
		};
		return { USER_ID: readField(ctx, itemIndex, USER_FIELDS.userId, raw, check) };
	}
	const raw = ctx.getNodeParameter(USER_FIELDS.userPhoneInner.name, itemIndex, '');
	const extension = readField(ctx, itemIndex, USER_FIELDS.userPhoneInner, raw, (value) => {
		if (isBlank(value))
			throw new ValueProblem(
				'is empty',
				'Map the extension of the employee who took or made the call.',
			);
		return toIdentifier(value, { maxLength: 50 });
	});
	return { USER_PHONE_INNER: extension };
}

/** Node-wide options of the call operations. */
export const OPTIONS_FIELD = { name: 'options', displayName: 'Options' };

export function optionsField(
	show: ShowWhen,
	{ batching }: { batching: boolean },
	extra: INodeProperties[] = [],
): INodeProperties {
	const options: INodeProperties[] = [
		...extra,
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1000 },
			default: 60000,
			description:
				'How long to wait for Bitrix24 to answer one request, in milliseconds. Bitrix24 itself stops a request after 60 seconds.',
		},
	];
	if (batching) {
		options.unshift({
			displayName: 'Batch Items',
			name: 'batching',
			type: 'boolean',
			default: true,
			description:
				"Whether to send up to 50 items in one Bitrix24 batch request. Much faster for many items and easy on the portal's rate limit; turn off only to debug one item at a time.",
		});
	}
	return {
		displayName: OPTIONS_FIELD.displayName,
		name: OPTIONS_FIELD.name,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options,
	};
}

/** An "Additional Fields" collection. */
export function optionalAdditionalFields(
	show: ShowWhen,
	options: INodeProperties[],
): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options,
	};
}

/** "Return All" and "Limit" of a list operation (Line → Get Many, Call → Get Call History). */
export function returnAllFields(show: ShowWhen): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/** How many results the item asks for: Infinity with "Return All". */
export function readResultLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	return Math.max(1, Number(ctx.getNodeParameter('limit', itemIndex, 50)) || 50);
}
