/**
 * Line → Create: `telephony.externalLine.add`. The line fields Update and Delete share (the number
 * typed or picked, the name, the CRM flag) are here too.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toFlag, toText, ValueProblem } from '../checks';
import { lineLocatorProperty, type ShowWhen } from '../descriptions';
import { readField, toLineNumber } from '../read';
import type { OperationDefinition } from '../types';

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

const show = { resource: ['line'], operation: ['create'] };

export const createLine: OperationDefinition = {
	description: [
		lineNumberField(show),
		{
			displayName: LINE_FIELDS.name.displayName,
			name: LINE_FIELDS.name.name,
			type: 'string',
			default: '',
			placeholder: 'e.g. Support line',
			description: 'A name for the line, shown in Bitrix24 (NAME)',
			displayOptions: { show },
		},
		{
			displayName: LINE_FIELDS.crmAutoCreate.displayName,
			name: LINE_FIELDS.crmAutoCreate.name,
			type: 'boolean',
			default: true,
			description:
				'Whether outgoing click-to-call calls through this line create a lead for unknown numbers (CRM_AUTO_CREATE)',
			displayOptions: { show },
		},
	],
	prepare(itemIndex) {
		const number = readLineNumber(this, itemIndex);
		const params: IDataObject = {
			NUMBER: number,
			CRM_AUTO_CREATE: toYesNo(
				readField(
					this,
					itemIndex,
					LINE_FIELDS.crmAutoCreate,
					this.getNodeParameter('crmAutoCreate', itemIndex, true),
					toFlag,
				) === 1,
			),
		};
		const name = readField(
			this,
			itemIndex,
			LINE_FIELDS.name,
			this.getNodeParameter('name', itemIndex, ''),
			(v) => toText(v),
		);
		if (name) params.NAME = name;
		return {
			// A repeated add answers "Line already exists": not safe to repeat blindly.
			commands: {
				add: { method: 'telephony.externalLine.add', params: params, idempotent: false },
			},
			output: ({ add }) => ({
				...(add as IDataObject),
				NUMBER: number,
				NAME: params.NAME ?? '',
				CRM_AUTO_CREATE: params.CRM_AUTO_CREATE,
			}),
		};
	},
};
