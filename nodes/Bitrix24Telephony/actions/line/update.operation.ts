/** Line → Update: `telephony.externalLine.update`, by NUMBER. */
import type { IDataObject } from 'n8n-workflow';

import { invalidField, readField } from '../read';
import type { OperationDefinition } from '../types';
import { isBlank, toFlag, toText } from '../checks';
import { LINE_FIELDS, existingLineField, readLineNumber, toYesNo } from './create.operation';

const show = { resource: ['line'], operation: ['update'] };
const UPDATE_FIELDS = { name: 'updateFields', displayName: 'Update Fields' };

export const updateLine: OperationDefinition = {
	description: [
		existingLineField(show),
		{
			displayName: UPDATE_FIELDS.displayName,
			name: UPDATE_FIELDS.name,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: LINE_FIELDS.crmAutoCreate.displayName,
					name: 'crmAutoCreate',
					type: 'boolean',
					default: true,
					description:
						'Whether outgoing click-to-call calls through this line create a lead for unknown numbers (CRM_AUTO_CREATE)',
				},
				{
					displayName: LINE_FIELDS.name.displayName,
					name: 'name',
					type: 'string',
					default: '',
					description: 'The new name of the line (NAME)',
				},
			],
		},
	],
	prepare(itemIndex) {
		const number = readLineNumber(this, itemIndex);
		const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
		const params: IDataObject = { NUMBER: number };
		if (!isBlank(fields.name)) {
			params.NAME = readField(
				this,
				itemIndex,
				{ name: 'updateFields.name', displayName: 'Name' },
				fields.name,
				(v) => toText(v),
			);
		}
		if (fields.crmAutoCreate !== undefined) {
			params.CRM_AUTO_CREATE = toYesNo(
				readField(
					this,
					itemIndex,
					{
						name: 'updateFields.crmAutoCreate',
						displayName: LINE_FIELDS.crmAutoCreate.displayName,
					},
					fields.crmAutoCreate,
					toFlag,
				) === 1,
			);
		}
		if (Object.keys(params).length === 1) {
			throw invalidField(
				this,
				itemIndex,
				UPDATE_FIELDS,
				'is empty',
				'Add the name or the CRM flag to change.',
			);
		}
		return {
			commands: {
				update: { method: 'telephony.externalLine.update', params: params, idempotent: true },
			},
			// Bitrix24 returns the ID as a string here (and as a number from add): keep its value.
			output: ({ update }) => ({ ...(update as IDataObject), ...params }),
		};
	},
};
