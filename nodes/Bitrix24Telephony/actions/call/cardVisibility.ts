/**
 * Call → Show Card / Hide Card: `telephony.externalcall.show` / `.hide`. The queue pattern:
 * register with the card hidden, show it to everyone ringing, hide it from all but the one who
 * answered. Bitrix24 answers `false` (not an error) when the call is no longer active.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readField } from '../readField';
import type { OperationDefinition } from '../types';
import { toUserIdList } from '../values';
import { callIdField, readCallId } from './callId';

const USER_IDS_FIELD = { name: 'userIds', displayName: 'User IDs' };

function readUserIds(ctx: IExecuteFunctions, itemIndex: number): number[] {
	return readField(
		ctx,
		itemIndex,
		USER_IDS_FIELD,
		ctx.getNodeParameter(USER_IDS_FIELD.name, itemIndex, ''),
		toUserIdList,
	);
}

function cardOperation(action: 'show' | 'hide'): OperationDefinition {
	const show = { resource: ['call'], operation: [action] };
	const verb = action === 'show' ? 'shown' : 'hidden';
	return {
		description: [
			callIdField(show, 'The CALL_ID of an active (not yet finished) call'),
			{
				displayName: USER_IDS_FIELD.displayName,
				name: USER_IDS_FIELD.name,
				type: 'string',
				required: true,
				default: '',
				placeholder: '1, 2, 3',
				description: `Bitrix24 user IDs to whom the call card is ${verb} (USER_ID), separated by commas, or a list from an expression`,
				displayOptions: { show },
			},
		],
		prepare(itemIndex) {
			const callId = readCallId(this, itemIndex);
			const userIds = readUserIds(this, itemIndex);
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
						json.message = `Bitrix24 answered false: the call is no longer active (already finished, or unknown), so no card was ${verb}`;
					}
					return json;
				},
			};
		},
	};
}

export const showCard = cardOperation('show');
export const hideCard = cardOperation('hide');
