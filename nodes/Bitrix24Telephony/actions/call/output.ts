/**
 * Extras added beside Bitrix24's own keys (which are never renamed or dropped), for the nodes
 * downstream: a link to the CRM record, and the call's context for notifications.
 */
import type { IDataObject } from 'n8n-workflow';

const CRM_PATHS: Record<string, string> = {
	CONTACT: 'contact',
	COMPANY: 'company',
	LEAD: 'lead',
	DEAL: 'deal',
};

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

/** Bitrix24's STATUS_CODE values in words, for notifications. */
const STATUS_WORDS: Record<string, string> = {
	'200': 'answered',
	'304': 'missed',
	'603': 'declined',
	'603-S': 'cancelled',
	'403': 'forbidden',
	'404': 'wrong number',
	'486': 'busy',
	'484': 'unavailable',
	'503': 'unavailable',
	'480': 'temporarily unavailable',
	'402': 'insufficient funds',
	'423': 'blocked',
	OTHER: 'other',
};

/**
 * Finish's result unchanged, plus a CRM link and a plain summary: was it answered, was it a
 * missed incoming call (what "notify on missed calls" workflows branch on).
 */
export function finishedCallOutput(portalUrl: string, result: IDataObject): IDataObject {
	const json = { ...result };
	const url = crmEntityUrl(portalUrl, json.CRM_ENTITY_TYPE, json.CRM_ENTITY_ID);
	if (url) json.crmEntityUrl = url;
	const type = Number(json.INCOMING);
	const code = String(json.CALL_FAILED_CODE ?? '');
	json.call = {
		phoneNumber: json.PHONE_NUMBER,
		type,
		direction: DIRECTIONS[type],
		answered: Number(json.CALL_STATUS) === 1,
		missed: Number(json.CALL_STATUS) !== 1 && (type === 2 || type === 3),
		status: STATUS_WORDS[code] ?? code,
		durationSeconds: Number(json.CALL_DURATION ?? 0),
		userId: json.PORTAL_USER_ID,
	};
	return json;
}
