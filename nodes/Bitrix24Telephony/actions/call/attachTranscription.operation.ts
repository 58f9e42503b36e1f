/**
 * Call → Attach Transcription: `telephony.call.attachTranscription`, for a finished call.
 */
import type { IDataObject } from 'n8n-workflow';

import { callIdField, optionalAdditionalFields } from '../descriptions';
import { readCallId, readField } from '../read';
import type { OperationDefinition } from '../types';
import { isBlank, toAmount, toText, ValueProblem } from '../checks';

const show = { resource: ['call'], operation: ['attachTranscription'] };
const FIELDS = {
	messages: { name: 'messages', displayName: 'Messages' },
	cost: { name: 'additionalFields.cost', displayName: 'Cost' },
	costCurrency: { name: 'additionalFields.costCurrency', displayName: 'Cost Currency' },
};

const SIDES: Record<string, string> = { client: 'Client', user: 'User' };

/** What MESSAGES holds, in words a user (or an AI agent) can map; Log Completed Call says it too. */
export const TRANSCRIPT_MESSAGES_HELP =
	'a list of { side: "Client" or "User" (the employee or the AI agent), startTime, stopTime (whole seconds from the start of the call), message }';
const MAX_MESSAGES = 5_000;

function toSeconds(value: unknown, what: string, min: number): number {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
		throw new ValueProblem(
			`has a ${what} of "${String(value).slice(0, 20)}" (a whole number of seconds, ${min} or more)`,
		);
	}
	return number;
}

/** `[{side, startTime, stopTime, message}]` (or a JSON string of it) → Bitrix24's MESSAGES. */
export function toTranscriptMessages(value: unknown): IDataObject[] {
	if (isBlank(value))
		throw new ValueProblem(
			'is empty',
			'Map the transcript from your speech-to-text step: a list of { side, startTime, stopTime, message }.',
		);
	let list = value;
	if (typeof value === 'string') {
		try {
			list = JSON.parse(value);
		} catch {
			list = undefined;
		}
	}
	if (!Array.isArray(list))
		throw new ValueProblem('must be a list of { side, startTime, stopTime, message }');
	if (list.length === 0) throw new ValueProblem('is empty');
	if (list.length > MAX_MESSAGES)
		throw new ValueProblem(`has ${list.length} messages (at most ${MAX_MESSAGES})`);
	return list.map((entry: unknown, index: number) => {
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new ValueProblem(`has an entry ${index} that is not an object`);
		}
		const message = entry as IDataObject;
		const side = SIDES[String(message.side ?? message.SIDE ?? '').toLowerCase()];
		if (!side) throw new ValueProblem(`has an entry ${index} whose side is not "Client" or "User"`);
		const start = toSeconds(
			message.startTime ?? message.START_TIME,
			`start time in entry ${index}`,
			0,
		);
		const stop = toSeconds(message.stopTime ?? message.STOP_TIME, `stop time in entry ${index}`, 1);
		if (stop < start) throw new ValueProblem(`has an entry ${index} that stops before it starts`);
		const text = toText(message.message ?? message.MESSAGE ?? '', { maxLength: 10_000 });
		if (text === '') throw new ValueProblem(`has an entry ${index} without text`);
		return { SIDE: side, START_TIME: start, STOP_TIME: stop, MESSAGE: text };
	});
}

export const attachTranscription: OperationDefinition = {
	description: [
		callIdField(show, 'The CALL_ID of a finished call'),
		{
			displayName: FIELDS.messages.displayName,
			name: FIELDS.messages.name,
			type: 'json',
			required: true,
			// Empty, not a sample: an unmapped node must not attach made-up words to a real call.
			default: '',
			placeholder: 'e.g. [{ "side": "User", "startTime": 0, "stopTime": 3, "message": "Hello" }]',
			description: `The conversation (MESSAGES): ${TRANSCRIPT_MESSAGES_HELP}`,
			displayOptions: { show },
		},
		optionalAdditionalFields(show, [
			{
				displayName: FIELDS.cost.displayName,
				name: 'cost',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 4 },
				default: 0,
				description: 'What the transcription cost (COST)',
			},
			{
				displayName: FIELDS.costCurrency.displayName,
				name: 'costCurrency',
				type: 'string',
				default: '',
				placeholder: 'e.g. EUR',
				description: 'Currency of the cost (COST_CURRENCY)',
			},
		]),
	],
	prepare(itemIndex) {
		const params: IDataObject = {
			CALL_ID: readCallId(this, itemIndex),
			MESSAGES: readField(
				this,
				itemIndex,
				FIELDS.messages,
				this.getNodeParameter('messages', itemIndex, '[]'),
				toTranscriptMessages,
			),
		};
		const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		if (!isBlank(extra.cost))
			params.COST = readField(this, itemIndex, FIELDS.cost, extra.cost, toAmount);
		if (!isBlank(extra.costCurrency)) {
			params.COST_CURRENCY = readField(
				this,
				itemIndex,
				FIELDS.costCurrency,
				extra.costCurrency,
				(v) => toText(v, { maxLength: 3 }).toUpperCase(),
			);
		}
		return {
			// Each call adds another transcript: never repeat blindly.
			commands: {
				transcription: {
					method: 'telephony.call.attachTranscription',
					params: params,
					idempotent: false,
				},
			},
			output: ({ transcription }) => ({
				...(transcription as IDataObject),
				callId: params.CALL_ID,
			}),
		};
	},
};
