/**
 * Call → Register's parameters, read and validated into Bitrix24's names, and the command.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { toCallStartDate } from '../callStartDate';
import {
	isBlank,
	toCallType,
	toCrmEntityType,
	toFlag,
	toIdentifier,
	toPhoneNumber,
	toPositiveInteger,
	toText,
} from '../checks';
import { readUserIdentification } from '../common';
import { toLineNumber } from '../lineLocator';
import { invalidField, readField } from '../readField';
import type { Bitrix24Command } from '../types';
import { REGISTER_FIELDS } from './registerFields';

/**
 * EXTERNAL_CALL_ID: the field at the top wins; the one in Additional Fields, where workflows
 * saved before it moved keep it, is used when the top one is empty.
 */
function readExternalCallId(
	ctx: IExecuteFunctions,
	itemIndex: number,
	extra: IDataObject,
): string | undefined {
	const check = (value: unknown) => toIdentifier(value, { maxLength: 255 }) || undefined;
	const top = ctx.getNodeParameter(REGISTER_FIELDS.externalCallId.name, itemIndex, '');
	if (!isBlank(top)) return readField(ctx, itemIndex, REGISTER_FIELDS.externalCallId, top, check);
	if (isBlank(extra.externalCallId)) return undefined;
	return readField(
		ctx,
		itemIndex,
		REGISTER_FIELDS.legacyExternalCallId,
		extra.externalCallId,
		check,
	);
}

/** Reads and validates every Register parameter of item `itemIndex` into Bitrix24's names. */
export function readRegisterParams(ctx: IExecuteFunctions, itemIndex: number): IDataObject {
	const params: IDataObject = { ...readUserIdentification(ctx, itemIndex) };
	params.PHONE_NUMBER = readField(
		ctx,
		itemIndex,
		REGISTER_FIELDS.phoneNumber,
		ctx.getNodeParameter(REGISTER_FIELDS.phoneNumber.name, itemIndex, ''),
		toPhoneNumber,
	);
	params.TYPE = readField(
		ctx,
		itemIndex,
		REGISTER_FIELDS.type,
		ctx.getNodeParameter('type', itemIndex, 2),
		toCallType,
	);

	const extra = ctx.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const read = <T>(
		key: Exclude<keyof typeof REGISTER_FIELDS, 'externalCallId' | 'legacyExternalCallId'>,
		check: (value: unknown) => T,
	): T | undefined =>
		isBlank(extra[key])
			? undefined
			: readField(ctx, itemIndex, REGISTER_FIELDS[key], extra[key], check);

	const zone = ctx.getTimezone();
	params.CALL_START_DATE = read('callStartDate', (v) => toCallStartDate(v, zone));
	params.CRM_CREATE = read('crmCreate', toFlag);
	params.CRM_SOURCE = read('crmSource', (v) => toText(v, { maxLength: 50 }) || undefined);
	params.SHOW = read('show', toFlag);
	params.ADD_TO_CHAT = read('addToChat', toFlag);
	params.LINE_NUMBER = read('lineNumber', toLineNumber);
	params.EXTERNAL_CALL_ID = readExternalCallId(ctx, itemIndex, extra);
	// A number field's untouched default is 0: treat it as "not set", not as an invalid ID.
	const optionalId = (key: 'callListId' | 'crmEntityId') =>
		extra[key] === 0 || extra[key] === '0' ? undefined : read(key, (v) => toPositiveInteger(v));
	params.CALL_LIST_ID = optionalId('callListId');

	// Bitrix24 uses the CRM pair only when both are set, and silently searches by number otherwise.
	const entityId = optionalId('crmEntityId');
	const entityType = read('crmEntityType', toCrmEntityType);
	if ((entityId === undefined) !== (entityType === undefined)) {
		const missing =
			entityId === undefined ? REGISTER_FIELDS.crmEntityId : REGISTER_FIELDS.crmEntityType;
		throw invalidField(
			ctx,
			itemIndex,
			missing,
			'is missing',
			'CRM Entity Type and CRM Entity ID only work together: set both, or remove both.',
		);
	}
	params.CRM_ENTITY_TYPE = entityType;
	params.CRM_ENTITY_ID = entityId;
	for (const key of Object.keys(params)) if (params[key] === undefined) delete params[key];
	return params;
}

/**
 * Repeating a register is harmless only when Bitrix24's 30-minute dedup will recognise it: the
 * same EXTERNAL_CALL_ID, and a start date inside the window (backfilled calls never dedup).
 */
export function registerIsIdempotent(params: IDataObject, now = Date.now()): boolean {
	if (params.EXTERNAL_CALL_ID === undefined) return false;
	if (params.CALL_START_DATE === undefined) return true;
	const started = Date.parse(String(params.CALL_START_DATE));
	return Number.isFinite(started) && now - started < 25 * 60 * 1000;
}

export function registerCommand(params: IDataObject): Bitrix24Command {
	return {
		method: 'telephony.externalcall.register',
		params,
		idempotent: registerIsIdempotent(params),
	};
}
