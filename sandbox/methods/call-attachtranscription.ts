/**
 * telephony.call.attachTranscription (docs/bitrix24-fidelity.md row 13), checks and messages as in vi_rest.php:
 * MESSAGES are validated before the call is looked up among finished calls.
 */
import { coreError } from '../errors';
import {
	isPhpArray,
	isSet,
	phpArrayEntries,
	phpFloat,
	phpInt,
	phpLooseEqualsEmptyString,
	phpString,
	PhpMap,
	phpTruthy,
} from '../php-values';
import { nextId } from '../state';
import { MethodContext, MethodDefinition, ok } from './context';

export const attachTranscriptionMethod: MethodDefinition = {
	name: 'telephony.call.attachtranscription',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const { params, runtime } = ctx;
		const { state } = runtime;
		if (!isSet(params.CALL_ID)) throw coreError('CALL_ID should be set');
		if (!isPhpArray(params.MESSAGES)) throw coreError('MESSAGES should be an array');
		for (const [index, entry] of phpArrayEntries(params.MESSAGES)) {
			const message: PhpMap = isPhpArray(entry) && !Array.isArray(entry) ? entry : {};
			if (message.SIDE !== 'Client' && message.SIDE !== 'User')
				throw coreError(`MESSAGES[${index}][SIDE] should be either Client or User`);
			if (phpInt(message.START_TIME) < 0)
				throw coreError(`MESSAGES[${index}][START_TIME] should be greater or equal to zero`);
			if (phpInt(message.STOP_TIME) <= 0)
				throw coreError(`MESSAGES[${index}][STOP_TIME] should be greater than zero`);
			if (phpLooseEqualsEmptyString(message.MESSAGE))
				throw coreError(`MESSAGES[${index}][MESSAGE] is empty`);
		}
		const callId = phpString(params.CALL_ID);
		const statistic = state.statistics.find((row) => row.callId === callId);
		if (!statistic) throw coreError(`Call ${callId} is not found. Is it finished?`);

		const id = nextId(state, 'transcript');
		const withCost = phpTruthy(params.COST);
		state.transcripts.push({
			id,
			callId,
			cost: withCost ? phpFloat(params.COST) : null,
			costCurrency: withCost ? phpString(params.COST_CURRENCY) : null,
			messages: Object.values(params.MESSAGES),
			createdAt: runtime.now(),
		});
		statistic.transcriptId = id;
		return ok({ TRANSCRIPT_ID: id });
	},
};
