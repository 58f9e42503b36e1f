/**
 * Call → Register: `telephony.externalcall.register`. Bitrix24 finds the caller in the CRM (or
 * creates a lead), shows the call card to the employee, and returns CALL_ID and the CRM entities.
 */
import type { IDataObject } from 'n8n-workflow';

import type { OperationDefinition } from '../types';
import { callContext, crmEntityUrl } from './output';
import { registerFields } from './registerFields';
import { readRegisterParams, registerCommand } from './registerParams';
import { simplifiedRegister, simplifyFields, SIMPLIFY_FIELD } from './simplify';

const show = { resource: ['call'], operation: ['register'] };

export const register: OperationDefinition = {
	description: [...registerFields(show), ...simplifyFields(show)],
	prepare(itemIndex, { portalUrl }) {
		const params = readRegisterParams(this, itemIndex);
		const simplify = this.getNodeParameter(SIMPLIFY_FIELD.name, itemIndex, false) === true;
		return {
			commands: { register: registerCommand(params) },
			output: ({ register: result }) => {
				const json = { ...(result as IDataObject) };
				const url = crmEntityUrl(portalUrl, json.CRM_ENTITY_TYPE, json.CRM_ENTITY_ID);
				if (url) json.crmEntityUrl = url;
				json.call = callContext(params);
				return simplify ? simplifiedRegister(json) : json;
			},
		};
	},
};
