/**
 * Call → Show Card: `telephony.externalcall.show`, e.g. to everyone ringing in a queue. Hide Card
 * is its mirror and takes its fields and request from here. The queue pattern: register with the
 * card hidden, show it to everyone ringing, hide it from all but the one who answered. Bitrix24
 * answers `false` (not an error) when the call is no longer active.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toUserIdList } from '../checks';
import { callIdField, type ShowWhen } from '../descriptions';
import { VERSIONS } from '../versions';
import { readCallId, readParameter } from '../read';
import type { ItemRequest, OperationDefinition } from '../types';

export const USER_IDS_FIELD = { name: 'userIds', displayName: 'Users' };

export type CardAction = 'show' | 'hide';

const VERB: Record<CardAction, string> = { show: 'shown', hide: 'hidden' };

/**
 * Version 1 saved the users as text ("1, 2, 3"); version 1.1 picks them from the portal's
 * employees. Both accept a comma list or an array from an expression.
 */
export function cardFields(action: CardAction, show: ShowWhen): INodeProperties[] {
	const verb = VERB[action];
	return [
		callIdField(show, 'The CALL_ID of an active (not yet finished) call'),
		{
			displayName: 'User IDs',
			name: USER_IDS_FIELD.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 1, 2, 3',
			description: `Bitrix24 user IDs to whom the call card is ${verb} (USER_ID), separated by commas, or a list from an expression`,
			displayOptions: { show: { ...show, '@version': [1] } },
		},
		{
			displayName: USER_IDS_FIELD.displayName,
			name: USER_IDS_FIELD.name,
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getUsers' },
			required: true,
			default: [],
			description:
				'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			hint: `The employees to whom the call card is ${verb} (USER_ID). An expression may give a list or IDs separated by commas.`,
			displayOptions: { show: { ...show, ...VERSIONS.from11 } },
		},
	];
}

/** `telephony.externalcall.show` / `.hide` for item `itemIndex`. */
export function cardRequest(
	ctx: IExecuteFunctions,
	itemIndex: number,
	action: CardAction,
): ItemRequest {
	const callId = readCallId(ctx, itemIndex);
	const userIds = readParameter(ctx, itemIndex, USER_IDS_FIELD, '', toUserIdList);
	return {
		commands: {
			[action]: {
				method: `telephony.externalcall.${action}`,
				params: { CALL_ID: callId, USER_ID: userIds },
				// Showing or hiding a card twice changes nothing.
				idempotent: true,
			},
		},
		output: (results) => {
			const done = results[action] === true;
			const json: IDataObject = { success: done, callId, userIds };
			if (!done) {
				json.message = `Bitrix24 answered false: the call is no longer active (already finished, or unknown), so no card was ${VERB[action]}`;
			}
			return json;
		},
	};
}

export const showCard: OperationDefinition = {
	description: cardFields('show', { resource: ['call'], operation: ['show'] }),
	prepare(itemIndex) {
		return cardRequest(this, itemIndex, 'show');
	},
};
