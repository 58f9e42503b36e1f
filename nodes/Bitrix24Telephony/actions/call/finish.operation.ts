/**
 * Call → Finish: `telephony.externalcall.finish`. Ends the call, hides the card, writes the
 * statistics and creates the CRM activity. A call can be finished once. Its fields, reading,
 * command and output are here; Log Completed Call reuses them.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isBlank, toAmount, toFlag, toNonNegativeInteger, toText, ValueProblem } from '../checks';
import {
	callIdField,
	simplifyFields,
	SIMPLIFY_FIELD,
	userIdentificationFields,
	type ShowWhen,
} from '../descriptions';
import { additionalFieldsByVersion, LEGACY_FIELDS } from '../versions';
import {
	crmEntityUrl,
	DIRECTIONS,
	nodeParameter,
	readCallId,
	readCollection,
	readParameter,
	readUserIdentification,
} from '../read';
import { finishResultFromRow, lookUpFinishedCall } from '../recovery';
import type { OperationDefinition } from '../types';

/** Bitrix24's call result codes (SIP-like), with the words a user thinks in. */
export const STATUS_CODE_OPTIONS = [
	{
		name: 'Automatic (Answered if Duration > 0, Otherwise Missed)',
		value: 'auto',
		description: 'Let Bitrix24 decide (STATUS_CODE not sent)',
	},
	{ name: 'Answered (200)', value: '200' },
	{
		name: 'Missed (304)',
		value: '304',
		description: 'No answer. On incoming calls Bitrix24 logs a missed call.',
	},
	{ name: 'Declined (603)', value: '603' },
	{ name: 'Cancelled by Caller (603-S)', value: '603-S' },
	{ name: 'Forbidden (403)', value: '403' },
	{ name: 'Wrong Number (404)', value: '404' },
	{ name: 'Busy (486)', value: '486' },
	// Bitrix24 calls both "direction unavailable"; the SIP meanings tell them apart in the list.
	{
		name: 'Number Incomplete (484)',
		value: '484',
		description: 'The dialled number was incomplete (SIP 484; Bitrix24: direction unavailable)',
	},
	{
		name: 'Service Unavailable (503)',
		value: '503',
		description: 'The route or trunk was unavailable (SIP 503; Bitrix24: direction unavailable)',
	},
	{ name: 'Temporarily Unavailable (480)', value: '480' },
	{ name: 'Insufficient Funds (402)', value: '402' },
	{ name: 'Blocked (423)', value: '423' },
	{ name: 'Other', value: 'OTHER' },
];

export const STATUS_CODES = STATUS_CODE_OPTIONS.map((o) => o.value).filter((v) => v !== 'auto');

/** The fields at the top; those in Additional Fields are named by FINISH_ADDITIONAL_FIELDS. */
export const FINISH_FIELDS = {
	duration: { name: 'duration', displayName: 'Duration' },
	statusCode: { name: 'statusCode', displayName: 'Status' },
};

/** A day: longer talk times are PBX bugs (a never-cleared channel), not calls. */
const MAX_DURATION_SECONDS = 86_400;

export function durationAndStatusFields(show: ShowWhen): INodeProperties[] {
	return [
		{
			displayName: FINISH_FIELDS.duration.displayName,
			name: FINISH_FIELDS.duration.name,
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 0,
			description:
				'Talk time in seconds (DURATION), from answer to hang-up. Any duration above 0 makes Bitrix24 count the call as answered, whatever the status: send 0 for unanswered calls.',
			displayOptions: { show },
		},
		{
			displayName: FINISH_FIELDS.statusCode.displayName,
			name: FINISH_FIELDS.statusCode.name,
			type: 'options',
			options: STATUS_CODE_OPTIONS,
			default: 'auto',
			description: 'How the call ended (STATUS_CODE)',
			displayOptions: { show },
		},
	];
}

export const FINISH_ADDITIONAL_FIELDS: INodeProperties[] = [
	{
		displayName: 'Add to Chat',
		name: 'addToChat',
		type: 'boolean',
		default: true,
		description: "Whether Bitrix24 posts the call in the employee's chat (ADD_TO_CHAT)",
	},
	{
		displayName: 'Cost',
		name: 'cost',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		description: 'What the call cost (COST)',
	},
	{
		displayName: 'Cost Currency',
		name: 'costCurrency',
		type: 'string',
		default: '',
		placeholder: 'e.g. EUR',
		description: 'Currency of the cost, as a Bitrix24 currency code (COST_CURRENCY)',
	},
	{
		displayName: 'Failed Reason',
		name: 'failedReason',
		type: 'string',
		default: '',
		description: 'Why the call failed, in words (FAILED_REASON)',
	},
	{
		displayName: 'Record URL (Deprecated)',
		name: 'recordUrl',
		type: 'string',
		default: '',
		description:
			'Deprecated by Bitrix24 (RECORD_URL): it downloads the file later, if at all. Prefer the Attach Record operation.',
	},
	{
		displayName: 'Vote',
		name: 'vote',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 5 },
		default: 5,
		description: "The client's rating of the call, 1 to 5 (VOTE)",
	},
];

function toVote(value: unknown): number {
	const vote = typeof value === 'string' && /^\s*\d\s*$/.test(value) ? Number(value) : value;
	if (typeof vote !== 'number' || !Number.isInteger(vote) || vote < 1 || vote > 5) {
		throw new ValueProblem(
			`must be a whole number from 1 to 5, but is "${String(value).slice(0, 20)}"`,
		);
	}
	return vote;
}

function toStatusCode(value: unknown): string | undefined {
	const code =
		typeof value === 'number'
			? String(value)
			: typeof value === 'string'
				? value.trim().toUpperCase()
				: value;
	if (code === 'AUTO' || code === '') return undefined;
	if (typeof code !== 'string' || !STATUS_CODES.includes(code)) {
		throw new ValueProblem(
			`must be one of ${STATUS_CODES.join(', ')}, but is "${String(value).slice(0, 20)}"`,
		);
	}
	return code;
}

/**
 * DURATION, STATUS_CODE and the optional fields, in Bitrix24's names. `collection` is the name of
 * the collection that holds the optional fields in this operation.
 */
export function readFinishParams(
	ctx: IExecuteFunctions,
	itemIndex: number,
	collection = 'additionalFields',
): IDataObject {
	const { duration, statusCode } = FINISH_FIELDS;
	const params: IDataObject = {
		DURATION: readParameter(ctx, itemIndex, duration, 0, (v) =>
			isBlank(v) ? 0 : toNonNegativeInteger(v, { max: MAX_DURATION_SECONDS }),
		),
		STATUS_CODE: readParameter(ctx, itemIndex, statusCode, 'auto', toStatusCode),
	};
	const { read } = readCollection(ctx, itemIndex, collection, FINISH_ADDITIONAL_FIELDS);
	params.COST = read('cost', toAmount);
	params.COST_CURRENCY = read(
		'costCurrency',
		(v) => toText(v, { maxLength: 3 }).toUpperCase() || undefined,
	);
	params.FAILED_REASON = read('failedReason', (v) => toText(v, { maxLength: 255 }) || undefined);
	params.VOTE = read('vote', toVote);
	// Always sent: the docs give ADD_TO_CHAT a default of 1, but the module source reads an absent
	// value as 0 (vi_rest.php `$params['ADD_TO_CHAT'] != false`), so only an explicit value posts
	// the call to the employee's chat the same way on every portal.
	params.ADD_TO_CHAT = read('addToChat', toFlag) ?? 1;
	params.RECORD_URL = read('recordUrl', (v) => toText(v, { maxLength: 2048 }) || undefined);
	for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
	return params;
}

/** Bitrix24's STATUS_CODE values in words, for notifications. */
const STATUS_WORDS: Record<string, string> = {
	'200': 'answered',
	'304': 'missed',
	'603': 'declined',
	'603-S': 'cancelled',
	'403': 'forbidden',
	'404': 'wrong number',
	'486': 'busy',
	'484': 'unavailable',
	'503': 'unavailable',
	'480': 'temporarily unavailable',
	'402': 'insufficient funds',
	'423': 'blocked',
	OTHER: 'other',
};

/**
 * Finish's result unchanged, plus a CRM link and a plain summary: was it answered, was it a
 * missed incoming call (what "notify on missed calls" workflows branch on).
 */
export function finishedCallOutput(portalUrl: string, result: IDataObject): IDataObject {
	const json = { ...result };
	const url = crmEntityUrl(portalUrl, json.CRM_ENTITY_TYPE, json.CRM_ENTITY_ID);
	if (url) json.crmEntityUrl = url;
	const type = Number(json.INCOMING);
	const code = String(json.CALL_FAILED_CODE ?? '');
	json.call = {
		phoneNumber: json.PHONE_NUMBER,
		type,
		direction: DIRECTIONS[type],
		answered: Number(json.CALL_STATUS) === 1,
		missed: Number(json.CALL_STATUS) !== 1 && (type === 2 || type === 3),
		status: STATUS_WORDS[code] ?? code,
		durationSeconds: Number(json.CALL_DURATION ?? 0),
		userId: json.PORTAL_USER_ID,
	};
	return json;
}

/** Finish's result → `{ callId, phoneNumber, answered, missed, status, durationSeconds, … }`. */
export function simplifiedFinish(json: IDataObject): IDataObject {
	const call = (json.call ?? {}) as IDataObject;
	return {
		callId: json.CALL_ID,
		...call,
		crmEntityType: json.CRM_ENTITY_TYPE ?? null,
		crmEntityId: json.CRM_ENTITY_ID ?? null,
		crmEntityUrl: json.crmEntityUrl ?? null,
		crmActivityId: json.CRM_ACTIVITY_ID ?? null,
	};
}

const show = { resource: ['call'], operation: ['finish'] };

export const finish: OperationDefinition = {
	description: [
		callIdField(
			show,
			'The CALL_ID returned by Register, or received by the click-to-call trigger. Bitrix24 needs the employee too (below); on some portals Finish works only with the OAuth2 credential.',
		),
		...userIdentificationFields(
			show,
			'took the call (they become responsible for a lead created during it)',
		),
		...durationAndStatusFields(show),
		...additionalFieldsByVersion(show, FINISH_ADDITIONAL_FIELDS, LEGACY_FIELDS.finish),
		...simplifyFields(show),
	],
	prepare(itemIndex, { portalUrl }) {
		const params: IDataObject = {
			CALL_ID: readCallId(this, itemIndex),
			...readUserIdentification(this, itemIndex),
			...readFinishParams(this, itemIndex),
		};
		const simplify = nodeParameter(this, SIMPLIFY_FIELD.name, itemIndex, false) === true;
		const output = ({ finish: result }: Record<string, unknown>) => {
			const json = finishedCallOutput(portalUrl, result as IDataObject);
			return simplify ? simplifiedFinish(json) : json;
		};
		return {
			// Not idempotent: a repeated finish fails ("call is not found"), and a lost answer must
			// not be papered over by sending it again.
			commands: { finish: { method: 'telephony.externalcall.finish', params, idempotent: false } },
			output,
			// The batch lost its answer: a finished call has its history row; a call without one
			// is finished now (a second finish of a finished call would change nothing anyway).
			recover: async (transport, lost, failure) => {
				if (!lost.cutBefore) {
					const row = await lookUpFinishedCall(transport, { CALL_ID: params.CALL_ID }, failure);
					if (row) return output({ finish: finishResultFromRow(row) });
					lost.cutBefore = true;
				}
				const envelope = await transport.call('telephony.externalcall.finish', params, {
					idempotent: false,
				});
				return output({ finish: envelope.result });
			},
		};
	},
};
