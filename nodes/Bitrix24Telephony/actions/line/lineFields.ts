import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ValueProblem } from '../checks';
import { lineLocatorProperty, type ShowWhen } from '../descriptions';
import { readField, toLineNumber } from '../read';

export const LINE_FIELDS = {
	number: { name: 'number', displayName: 'Line Number' },
	name: { name: 'name', displayName: 'Name' },
	crmAutoCreate: { name: 'crmAutoCreate', displayName: 'Create CRM Lead Automatically' },
};

/** The number of a NEW line (Create): typed, since it is not in the portal's list yet. */
export function lineNumberField(show: ShowWhen): INodeProperties {
	return {
		displayName: LINE_FIELDS.number.displayName,
		name: LINE_FIELDS.number.name,
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +493012345678',
		description:
			"The external line's number (NUMBER), e.g. the DID or trunk number. Bitrix24 identifies lines by number.",
		displayOptions: { show },
	};
}

/** An existing line (Update, Delete): picked from the portal's list, or by number. */
export function existingLineField(show: ShowWhen): INodeProperties {
	return lineLocatorProperty(
		LINE_FIELDS.number,
		'The external line (NUMBER). Bitrix24 identifies lines by number.',
		{ required: true, displayOptions: { show } },
	);
}

/** NUMBER, from a typed number or a picked line. */
export function readLineNumber(ctx: IExecuteFunctions, itemIndex: number): string {
	return readField(
		ctx,
		itemIndex,
		LINE_FIELDS.number,
		ctx.getNodeParameter(LINE_FIELDS.number.name, itemIndex, ''),
		(value) => {
			const number = toLineNumber(value);
			if (number === undefined) throw new ValueProblem('is empty');
			return number;
		},
	);
}

/** Bitrix24 stores the flag as Y/N; anything but "Y" counts as N. */
export function toYesNo(value: boolean): 'Y' | 'N' {
	return value ? 'Y' : 'N';
}
