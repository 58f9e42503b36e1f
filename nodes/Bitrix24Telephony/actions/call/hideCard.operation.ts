/** Call → Hide Card: `telephony.externalcall.hide`, e.g. from those who did not answer. */
import type { OperationDefinition } from '../types';
import { cardFields, cardRequest } from './showCard.operation';

export const hideCard: OperationDefinition = {
	description: cardFields('hide', { resource: ['call'], operation: ['hide'] }),
	prepare(itemIndex) {
		return cardRequest(this, itemIndex, 'hide');
	},
};
