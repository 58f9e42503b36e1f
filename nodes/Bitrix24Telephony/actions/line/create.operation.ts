/** Line → Create: `telephony.externalLine.add`. */
import type { IDataObject } from 'n8n-workflow';

import { readField } from '../read';
import type { OperationDefinition } from '../types';
import { toFlag, toText } from '../checks';
import { LINE_FIELDS, lineNumberField, readLineNumber, toYesNo } from './lineFields';

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
