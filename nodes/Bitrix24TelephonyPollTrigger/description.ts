/**
 * The poll trigger's parameters: which credential reads the call history, and which finished
 * calls start the workflow. The poll interval is n8n's own "Poll Times", which n8n adds to every
 * node with `polling: true`.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** CALL_TYPE values (b24restdocs voximplant-statistic-get.md and the call events). */
export const CALL_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Outgoing', value: 1 },
	{ name: 'Incoming', value: 2 },
	{ name: 'Incoming With Redirection', value: 3 },
	{ name: 'Callback', value: 4 },
	{ name: 'Informational', value: 5 },
];

/** CALL_FAILED_CODE values as on-voximplant-call-end.md lists them. */
export const STATUS_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Answered (200)', value: '200' },
	{ name: 'Blocked (423)', value: '423' },
	{ name: 'Busy (486)', value: '486' },
	{ name: 'Call Cancelled (603-S)', value: '603-S' },
	{ name: 'Declined (603)', value: '603' },
	{ name: 'Forbidden (403)', value: '403' },
	{ name: 'Insufficient Funds (402)', value: '402' },
	{ name: 'Invalid Number (404)', value: '404' },
	{ name: 'Missed (304)', value: '304' },
	{ name: 'Other', value: 'OTHER' },
	{ name: 'Temporarily Unavailable (480)', value: '480' },
	{ name: 'Unavailable Direction (484)', value: '484' },
	{ name: 'Unavailable Direction (503)', value: '503' },
];

export const pollProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Webhook',
				value: 'webhook',
				description: 'A Bitrix24 inbound webhook with the telephony scope: the quickest to set up',
			},
			{
				name: 'OAuth2 (Local Application)',
				value: 'oAuth2',
				description: 'A Bitrix24 local application',
			},
		],
		default: 'webhook',
		description:
			'To switch, choose or create a credential of that kind in the Credential field above',
	},
	{
		displayName:
			'Checks the call history (voximplant.statistic.get) for calls finished since the last check, at the Poll Times below; needs no public URL. Its first activation starts from the newest call, so past calls are not replayed. "Fetch Test Event" shows the latest matching call. The reading user needs the "Call statistics: view" permission.',
		name: 'pollNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Call Types',
				name: 'callTypes',
				type: 'multiOptions',
				options: CALL_TYPE_OPTIONS,
				default: [],
				description: 'Only calls of these types (CALL_TYPE); none selected: every type',
			},
			{
				displayName: 'Line Number',
				name: 'lineNumber',
				type: 'string',
				default: '',
				placeholder: 'e.g. 74951234567',
				description: 'Only calls through this line, as the call history shows it (PORTAL_NUMBER)',
			},
			{
				displayName: 'Statuses',
				name: 'statusCodes',
				type: 'multiOptions',
				options: STATUS_OPTIONS,
				default: [],
				description:
					'Only calls with these results (CALL_FAILED_CODE); Missed (304) alone for missed calls. None selected: every result.',
			},
		],
	},
];
