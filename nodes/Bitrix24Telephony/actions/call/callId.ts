import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readField } from '../readField';
import type { ShowWhen } from '../types';
import { isBlank, toIdentifier, ValueProblem } from '../checks';

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

/** CALL_ID, always as a string: Bitrix24 refuses a number ("CALL_ID must be a string"). */
export function readCallId(ctx: IExecuteFunctions, itemIndex: number): string {
	return readField(
		ctx,
		itemIndex,
		CALL_ID_FIELD,
		ctx.getNodeParameter(CALL_ID_FIELD.name, itemIndex, ''),
		(value) => {
			if (isBlank(value)) {
				throw new ValueProblem(
					'is empty',
					'Map the CALL_ID that Register returned (or that the click-to-call trigger received).',
				);
			}
			return toIdentifier(value, { maxLength: 255 });
		},
	);
}
