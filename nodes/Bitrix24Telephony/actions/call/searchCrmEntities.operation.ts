/**
 * Call → Search CRM Entities: `telephony.externalcall.searchCrmEntities`. One output item per CRM
 * record with this number, with the responsible employee's extension, so a workflow can route
 * the call to them. No match means no item, unless "Output an Item When Nothing Matches" is on:
 * then one `{ found: false, phoneNumber }` item, so a routing workflow can branch on it instead of
 * stopping silently.
 */
import type { IDataObject } from 'n8n-workflow';

import { optionsField } from '../descriptions';
import { crmEntityUrl, readField } from '../read';
import type { OperationDefinition } from '../types';
import { toPhoneNumber } from '../checks';

const show = { resource: ['call'], operation: ['searchCrmEntities'] };

/**
 * ASSIGNED_BY.TIMEMAN_STATUS → whether the responsible employee is at work: the working day is
 * OPENED (true), or CLOSED or PAUSED (false). NOT_INSTALLED (no time tracking on the portal),
 * UNAVAILABLE (not tracked for this employee) and anything else say nothing: null
 * (docs/bitrix24-fidelity.md rows 44, 55).
 */
function availability(status: unknown): boolean | null {
	if (status === 'OPENED') return true;
	if (status === 'CLOSED' || status === 'PAUSED') return false;
	return null;
}
const PHONE_FIELD = { name: 'phoneNumber', displayName: 'Phone Number' };
const NOT_FOUND_OPTION = 'options.outputNotFound';

export const searchCrmEntities: OperationDefinition = {
	description: [
		{
			displayName: PHONE_FIELD.displayName,
			name: PHONE_FIELD.name,
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. +4915112345678',
			description: 'The number to look up (PHONE_NUMBER), best in international format with +',
			displayOptions: { show },
		},
		// The call resource's options (batching, timeout) plus this one, in one collection: two
		// collections named "options" on one operation would hide each other's values.
		optionsField(show, { batching: true }, [
			{
				displayName: 'Output an Item When Nothing Matches',
				name: 'outputNotFound',
				type: 'boolean',
				default: false,
				description:
					'Whether to output one item { found: false, phoneNumber } when no CRM record has this number, so that the workflow goes on (e.g. to an IF node) instead of stopping',
			},
		]),
	],
	prepare(itemIndex, { portalUrl }) {
		const phoneNumber = readField(
			this,
			itemIndex,
			PHONE_FIELD,
			this.getNodeParameter(PHONE_FIELD.name, itemIndex, ''),
			toPhoneNumber,
		);
		const outputNotFound = this.getNodeParameter(NOT_FOUND_OPTION, itemIndex, false) === true;
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
				if (entities.length === 0 && outputNotFound) return [{ found: false, phoneNumber }];
				return entities.map((entity) => {
					const responsible = (entity.ASSIGNED_BY ?? {}) as IDataObject;
					const json: IDataObject = { ...entity, found: true, phoneNumber };
					const url = crmEntityUrl(portalUrl, entity.CRM_ENTITY_TYPE, entity.CRM_ENTITY_ID);
					if (url) json.crmEntityUrl = url;
					json.responsibleExtension = responsible.USER_PHONE_INNER ?? null;
					json.responsibleAvailable = availability(responsible.TIMEMAN_STATUS);
					return json;
				});
			},
		};
	},
};
