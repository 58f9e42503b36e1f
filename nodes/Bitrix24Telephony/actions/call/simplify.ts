/**
 * "Simplify" for Register and Finish: the handful of fields a notification, a routing branch or
 * an AI agent needs, instead of Bitrix24's whole result. Off returns the result unchanged (plus
 * our extras), as version 1 of the node always did: a workflow saved before the option existed
 * has no value for it, and must keep getting the full result, so version 1 defaults to off and
 * version 1.1 (what new nodes get) to on.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ShowWhen } from '../types';

export const SIMPLIFY_FIELD = { name: 'simplify', displayName: 'Simplify' };

export function simplifyFields(show: ShowWhen): INodeProperties[] {
	const description =
		"Whether to return only the call ID, number, direction, employee, outcome and CRM record instead of Bitrix24's whole result";
	return [
		{
			displayName: SIMPLIFY_FIELD.displayName,
			name: SIMPLIFY_FIELD.name,
			type: 'boolean',
			default: false,
			description,
			displayOptions: { show: { ...show, '@version': [1] } },
		},
		{
			displayName: SIMPLIFY_FIELD.displayName,
			name: SIMPLIFY_FIELD.name,
			type: 'boolean',
			default: true,
			description,
			displayOptions: { show: { ...show, '@version': [1.1] } },
		},
	];
}

/** Register's result → `{ callId, phoneNumber, direction, …, crmEntityUrl }`. */
export function simplifiedRegister(json: IDataObject): IDataObject {
	const call = (json.call ?? {}) as IDataObject;
	const simple: IDataObject = {
		callId: json.CALL_ID,
		phoneNumber: call.phoneNumber,
		direction: call.direction,
		userId: call.userId,
		userPhoneInner: call.userPhoneInner,
		externalCallId: call.externalCallId,
		lineNumber: call.lineNumber,
		crmEntityType: json.CRM_ENTITY_TYPE ?? null,
		crmEntityId: json.CRM_ENTITY_ID ?? null,
		crmEntityUrl: json.crmEntityUrl ?? null,
		leadCreated: Number(json.CRM_CREATED_LEAD ?? 0) > 0,
	};
	if (json.LEAD_CREATION_ERROR !== undefined) simple.leadCreationError = json.LEAD_CREATION_ERROR;
	for (const key of Object.keys(simple)) if (simple[key] === undefined) delete simple[key];
	return simple;
}

/** Finish's result → `{ callId, phoneNumber, answered, missed, status, durationSeconds, … }`. */
export function simplifiedFinish(json: IDataObject): IDataObject {
	const call = (json.call ?? {}) as IDataObject;
	return {
		callId: json.CALL_ID,
		...call,
		crmEntityType: json.CRM_ENTITY_TYPE ?? null,
		crmEntityId: json.CRM_ENTITY_ID ?? null,
		crmEntityUrl: json.crmEntityUrl ?? null,
		crmActivityId: json.CRM_ACTIVITY_ID ?? null,
	};
}
