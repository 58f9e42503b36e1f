/**
 * The parameters of `telephony.externalcall.finish` beyond CALL_ID and the employee: shared by
 * Finish and Log Completed Call.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readField } from '../readField';
import type { ShowWhen } from '../types';
import { isBlank, toAmount, toFlag, toNonNegativeInteger, toText, ValueProblem } from '../checks';
import { STATUS_CODE_OPTIONS, STATUS_CODES } from './statusCodes';

export const FINISH_FIELDS = {
	duration: { name: 'duration', displayName: 'Duration' },
	statusCode: { name: 'statusCode', displayName: 'Status' },
	cost: { name: 'additionalFields.cost', displayName: 'Cost' },
	costCurrency: { name: 'additionalFields.costCurrency', displayName: 'Cost Currency' },
	failedReason: { name: 'additionalFields.failedReason', displayName: 'Failed Reason' },
	vote: { name: 'additionalFields.vote', displayName: 'Vote' },
	addToChat: { name: 'additionalFields.addToChat', displayName: 'Add to Chat' },
	recordUrl: { name: 'additionalFields.recordUrl', displayName: 'Record URL (Deprecated)' },
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

export const finishAdditionalOptions: INodeProperties[] = [
	{
		displayName: FINISH_FIELDS.addToChat.displayName,
		name: 'addToChat',
		type: 'boolean',
		default: true,
		description: "Whether Bitrix24 posts the call in the employee's chat (ADD_TO_CHAT)",
	},
	{
		displayName: FINISH_FIELDS.cost.displayName,
		name: 'cost',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 4 },
		default: 0,
		description: 'What the call cost (COST)',
	},
	{
		displayName: FINISH_FIELDS.costCurrency.displayName,
		name: 'costCurrency',
		type: 'string',
		default: '',
		placeholder: 'e.g. EUR',
		description: 'Currency of the cost, as a Bitrix24 currency code (COST_CURRENCY)',
	},
	{
		displayName: FINISH_FIELDS.failedReason.displayName,
		name: 'failedReason',
		type: 'string',
		default: '',
		description: 'Why the call failed, in words (FAILED_REASON)',
	},
	{
		displayName: FINISH_FIELDS.recordUrl.displayName,
		name: 'recordUrl',
		type: 'string',
		default: '',
		description:
			'Deprecated by Bitrix24 (RECORD_URL): it downloads the file later, if at all. Prefer the Attach Record operation.',
	},
	{
		displayName: FINISH_FIELDS.vote.displayName,
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
	const params: IDataObject = {
		DURATION: readField(
			ctx,
			itemIndex,
			FINISH_FIELDS.duration,
			ctx.getNodeParameter('duration', itemIndex, 0),
			(v) => (isBlank(v) ? 0 : toNonNegativeInteger(v, { max: MAX_DURATION_SECONDS })),
		),
		STATUS_CODE: readField(
			ctx,
			itemIndex,
			FINISH_FIELDS.statusCode,
			ctx.getNodeParameter('statusCode', itemIndex, 'auto'),
			toStatusCode,
		),
	};
	const extra = ctx.getNodeParameter(collection, itemIndex, {}) as IDataObject;
	const read = <T>(key: keyof typeof FINISH_FIELDS, check: (value: unknown) => T): T | undefined =>
		isBlank(extra[key])
			? undefined
			: readField(
					ctx,
					itemIndex,
					{ ...FINISH_FIELDS[key], name: `${collection}.${key}` },
					extra[key],
					check,
				);
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
