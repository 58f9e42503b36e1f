/**
 * Field descriptions more than one operation shows: who the call belongs to, the call ID, a line
 * picked or typed, "Simplify", "Additional Fields", "Return All"/"Limit", the node-wide options,
 * and the notice about webhooks. Each operation's own fields live in its `<op>.operation.ts`.
 */
import type { INodeProperties } from 'n8n-workflow';

import { VERSIONS, type ShowWhen } from './versions';

export type { ShowWhen } from './versions';

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
		{
			displayName: 'Server-Time Budget (Seconds per 10 Minutes)',
			name: 'operatingBudget',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 480,
			description:
				'Server time Bitrix24 allows each method per 10 minutes for this app or webhook (480 on cloud portals). The node slows down at 80% of it, so a long import never gets blocked (OPERATION_TIME_LIMIT). Lower it when other integrations use the same app or webhook.',
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

export const CALL_ID_FIELD = { name: 'callId', displayName: 'Call ID' };

export function callIdField(show: ShowWhen, description: string): INodeProperties {
	return {
		displayName: CALL_ID_FIELD.displayName,
		name: CALL_ID_FIELD.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. externalCall.716f1cb73def9700a23842adf9c4c568.1773130779',
		description,
		displayOptions: { show },
	};
}

/**
 * Bitrix24 lists only the lines of the application (or webhook) asking: `telephony.externalLine.get`
 * returns the caller's own lines, so a new application sees none until it creates one.
 */
export const LINE_LIST_HINT =
	"From List shows only the lines this credential's application created (Bitrix24 keeps lines per application). For a line another application or your PBX set up, choose By No. and type its number.";

/**
 * An external line picked from the portal's list or typed by number: Register's Line Number and
 * the line to update or delete. Bitrix24 identifies lines by NUMBER.
 */
export function lineLocatorProperty(
	field: { name: string; displayName: string },
	description: string,
	extra: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
		// The list can only come back empty, with n8n's bare "No results": a list search answers
		// items only (INodeListSearchResult is `{ results, paginationToken }`), and an item would
		// be selectable. So the field itself says why a line may be missing.
		hint: LINE_LIST_HINT,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'e.g. Main line (+493012345678)',
				typeOptions: { searchListMethod: 'searchLines', searchable: true },
			},
			{
				// Short: n8n's mode selector is 92 px wide, and cut "By Number" to "By Numl".
				displayName: 'By No.',
				name: 'number',
				type: 'string',
				placeholder: 'e.g. +493012345678',
			},
		],
		...extra,
	};
}

/**
 * "Simplify" for Register and Finish: the handful of fields a notification, a routing branch or
 * an AI agent needs, instead of Bitrix24's whole result. Off returns the result unchanged (plus
 * our extras), as version 1 of the node always did: a workflow saved before the option existed
 * has no value for it, and must keep getting the full result, so version 1 defaults to off and
 * version 1.1 (what new nodes get) to on.
 */
export const SIMPLIFY_FIELD = { name: 'simplify', displayName: 'Simplify' };

export function simplifyFields(show: ShowWhen): INodeProperties[] {
	const description =
		"Whether to return only the call ID, number, direction, employee, outcome and CRM record instead of Bitrix24's whole result";
	return [
		{
			displayName: SIMPLIFY_FIELD.displayName,
			name: SIMPLIFY_FIELD.name,
			type: 'boolean',
			default: false,
			description,
			displayOptions: { show: { ...show, '@version': [1] } },
		},
		{
			displayName: SIMPLIFY_FIELD.displayName,
			name: SIMPLIFY_FIELD.name,
			type: 'boolean',
			default: true,
			description,
			displayOptions: { show: { ...show, ...VERSIONS.from11 } },
		},
	];
}

/**
 * The right credential before the first failure: Bitrix24's current documentation allows
 * `telephony.externalcall.register`, `.finish` and `telephony.externalLine.*` only to
 * applications, and newer portals answer WRONG_AUTH_TYPE to an inbound webhook. The notice shows
 * on exactly those operations while the webhook credential is in use. It names the Credential
 * field: n8n's editor hides a node's `authentication` parameter when the node offers several
 * credential types, and the user switches by picking a credential of the other type there.
 */
export const WEBHOOK_NOTICE_TEXT =
	"Newer Bitrix24 portals accept this operation only from an application and answer an inbound webhook with WRONG_AUTH_TYPE (Register, Finish, Log Completed Call and the line operations). If yours does, choose or create a Bitrix24 OAuth2 API credential in the Credential field above. The webhook credential's Test button tells you which kind your portal is.";

function notice(name: string, show: Record<string, string[]>): INodeProperties {
	return {
		displayName: WEBHOOK_NOTICE_TEXT,
		name,
		type: 'notice',
		default: '',
		displayOptions: { show: { authentication: ['webhook'], ...show } },
	};
}

export const webhookNotices: INodeProperties[] = [
	notice('webhookCallNotice', {
		resource: ['call'],
		operation: ['register', 'finish', 'logCompletedCall'],
	}),
	notice('webhookLineNotice', { resource: ['line'] }),
];
