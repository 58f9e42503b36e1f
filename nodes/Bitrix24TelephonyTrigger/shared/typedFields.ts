/**
 * Bitrix24 sends every event value as a string (form encoding) and prints its statistics rows
 * with numbers as strings, so `"IS_MOBILE": "0"` is true in an IF node and `"CALL_DURATION"`
 * compares as text. This gives the numeric and flag fields their types, under the same key
 * names, for the `call` object of trigger version 1.1 and the poll trigger; the raw values stay
 * where they were.
 *
 * The field lists follow the types the b24restdocs pages give: on-external-call-start.md,
 * on-external-call-back-start.md, on-voximplant-call-init.md, on-voximplant-call-end.md and
 * voximplant-statistic-get.md (integer, double, and the "0"/"1" or "Y"/"N" flags).
 */
import type { IDataObject } from 'n8n-workflow';

const NUMBER_FIELDS = new Set([
	'ID',
	'USER_ID',
	'CALL_LIST_ID',
	'CRM_ENTITY_ID',
	'CRM_CREATED_LEAD',
	'CALL_TYPE',
	'PORTAL_USER_ID',
	'CALL_DURATION',
	'COST',
	'CRM_ACTIVITY_ID',
	'REST_APP_ID',
	'TRANSCRIPT_ID',
	'RECORD_FILE_ID',
	'RECORD_DURATION',
	'CALL_VOTE',
	'REDIAL_ATTEMPT',
]);

/** "0"/"1" (IS_MOBILE) and "Y"/"N" (TRANSCRIPT_PENDING) flags. */
const FLAG_FIELDS = new Set(['IS_MOBILE', 'TRANSCRIPT_PENDING']);

function toNumber(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || value.trim() === '') return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

function toFlag(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	const text = String(value ?? '')
		.trim()
		.toUpperCase();
	if (['1', 'Y', 'TRUE'].includes(text)) return true;
	if (['0', 'N', 'FALSE'].includes(text)) return false;
	return null;
}

/**
 * The same keys with typed values: numbers (null when empty), flags as booleans (null when
 * neither), every other value as Bitrix24 sent it (text and nested sets alike).
 */
export function typedFields(fields: IDataObject): IDataObject {
	const typed: IDataObject = {};
	for (const [key, value] of Object.entries(fields)) {
		if (NUMBER_FIELDS.has(key)) typed[key] = toNumber(value);
		else if (FLAG_FIELDS.has(key)) typed[key] = toFlag(value);
		else typed[key] = value;
	}
	return typed;
}
