import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readField } from '../readField';
import type { ShowWhen } from '../types';
import { isBlank, toText, ValueProblem } from '../values';

export const LINE_FIELDS = {
	number: { name: 'number', displayName: 'Line Number' },
	name: { name: 'name', displayName: 'Name' },
	crmAutoCreate: { name: 'crmAutoCreate', displayName: 'Create CRM Lead Automatically' },
};

export function lineNumberField(show: ShowWhen): INodeProperties {
	return {
		displayName: LINE_FIELDS.number.displayName,
		name: LINE_FIELDS.number.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: '+493012345678',
		description:
			"The external line's number (NUMBER), e.g. the DID or trunk number. Bitrix24 identifies lines by number.",
		displayOptions: { show },
	};
}

/** NUMBER: Bitrix24 trims it and cuts it to 50 characters; refuse rather than cut silently. */
export function readLineNumber(ctx: IExecuteFunctions, itemIndex: number): string {
	return readField(
		ctx,
		itemIndex,
		LINE_FIELDS.number,
		ctx.getNodeParameter(LINE_FIELDS.number.name, itemIndex, ''),
		(value) => {
			if (isBlank(value)) throw new ValueProblem('is empty');
			return toText(value, { maxLength: 50 });
		},
	);
}

/** Bitrix24 stores the flag as Y/N; anything but "Y" counts as N. */
export function toYesNo(value: boolean): 'Y' | 'N' {
	return value ? 'Y' : 'N';
}
