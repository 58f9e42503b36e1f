/**
 * Extras added beside Bitrix24's own keys (which are never renamed or dropped), for the nodes
 * downstream: a link to the CRM record, and the call's context for notifications.
 */
import type { IDataObject } from 'n8n-workflow';

const CRM_PATHS: Record<string, string> = { CONTACT: 'contact', COMPANY: 'company', LEAD: 'lead', DEAL: 'deal' };

export function crmEntityUrl(portalUrl: string, type: unknown, id: unknown): string | undefined {
	const path = CRM_PATHS[String(type ?? '').toUpperCase()];
	const numericId = Number(id);
	if (!path || !portalUrl || !Number.isInteger(numericId) || numericId <= 0) return undefined;
	return `${portalUrl}/crm/${path}/details/${numericId}/`;
}

const DIRECTIONS: Record<number, string> = {
	1: 'outgoing',
	2: 'incoming',
	3: 'incoming (redirected)',
	4: 'callback',
	5: 'informational',
};

/** What was sent, in plain words: phone number, direction and employee. */
export function callContext(params: IDataObject): IDataObject {
	const context: IDataObject = {
		phoneNumber: params.PHONE_NUMBER,
		type: params.TYPE,
		direction: DIRECTIONS[Number(params.TYPE)],
	};
	if (params.USER_ID !== undefined) context.userId = params.USER_ID;
	if (params.USER_PHONE_INNER !== undefined) context.userPhoneInner = params.USER_PHONE_INNER;
	if (params.EXTERNAL_CALL_ID !== undefined) context.externalCallId = params.EXTERNAL_CALL_ID;
	if (params.LINE_NUMBER !== undefined) context.lineNumber = params.LINE_NUMBER;
	return context;
}
