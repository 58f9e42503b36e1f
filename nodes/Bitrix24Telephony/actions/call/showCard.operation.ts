/** Call → Show Card: `telephony.externalcall.show`, e.g. to everyone ringing in a queue. */
import type { OperationDefinition } from '../types';
import { cardFields, cardRequest } from './cardShared';

export const showCard: OperationDefinition = {
	description: cardFields('show', { resource: ['call'], operation: ['show'] }),
	prepare(itemIndex) {
		return cardRequest(this, itemIndex, 'show');
	},
};
