/**
 * Call → Search CRM Entities: `telephony.externalcall.searchCrmEntities`. One output item per CRM
 * record with this number, with the responsible employee's extension, so a workflow can route
 * the call to them. No match means no item (n8n's "Always Output Data" gives an empty one).
 */
import type { IDataObject } from 'n8n-workflow';

import { readField } from '../readField';
import type { OperationDefinition } from '../types';
import { toPhoneNumber } from '../values';
import { crmEntityUrl } from './output';

const show = { resource: ['call'], operation: ['searchCrmEntities'] };
const PHONE_FIELD = { name: 'phoneNumber', displayName: 'Phone Number' };

export const searchCrmEntities: OperationDefinition = {
	description: [
		{
			displayName: PHONE_FIELD.displayName,
			name: PHONE_FIELD.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: '+4915112345678',
			description: 'The number to look up (PHONE_NUMBER), best in international format with +',
			displayOptions: { show },
		},
	],
	prepare(itemIndex, { portalUrl }) {
		const phoneNumber = readField(
			this,
			itemIndex,
			PHONE_FIELD,
			this.getNodeParameter(PHONE_FIELD.name, itemIndex, ''),
			toPhoneNumber,
		);
		return {
			commands: {
				search: {
					method: 'telephony.externalcall.searchCrmEntities',
					params: { PHONE_NUMBER: phoneNumber },
					idempotent: true,
				},
			},
			output: ({ search }) => {
				const entities = Array.isArray(search) ? (search as IDataObject[]) : [];
				return entities.map((entity) => {
					const responsible = (entity.ASSIGNED_BY ?? {}) as IDataObject;
					const json: IDataObject = { ...entity, phoneNumber };
					const url = crmEntityUrl(portalUrl, entity.CRM_ENTITY_TYPE, entity.CRM_ENTITY_ID);
					if (url) json.crmEntityUrl = url;
					json.responsibleExtension = responsible.USER_PHONE_INNER ?? null;
					json.responsibleAvailable = responsible.TIMEMAN_STATUS === 'OPENED';
					return json;
				});
			},
		};
	},
};
