/**
 * telephony.externalCall.register (docs/bitrix24-fidelity.md row 1): validation in the portal's order, then
 * Rest\Helper::registerExternalCall (docs/bitrix24-fidelity.md rows 1, 3): strip the phone, auto-create the line, detect
 * internal calls, 30-minute dedup, CRM binding and lead creation.
 */
import { createHash, randomBytes } from 'crypto';
import { parsePortalDate } from '../dates';
import { coreError } from '../errors';
import { stripLetters } from '../phone';
import { isPhpArray, isSet, phpInt, phpLooseEqualsInt, phpString, phpTruthy } from '../php-values';
import type { SandboxRuntime } from '../runtime';
import type { ActiveCall } from '../state';
import { isActiveRealUser, resolveCallUserId } from './call-user';
import {
	bindCrm,
	findOrCreateLine,
	normalizedLineNumber,
	type RegisterFields,
} from './externalcall-register-binding';
import { MethodContext, MethodDefinition, ok, requireTelephonyAuthType } from './context';

/** CVoxImplantMain::getCallTypes(): outgoing, incoming, incoming with redirection, callback, informational. */
const CALL_TYPES = [1, 2, 3, 4, 5];
const DEDUP_WINDOW_MS = 30 * 60 * 1000;

export interface RegisterResult {
	CALL_ID: string;
	CRM_CREATED_LEAD: number | null;
	CRM_CREATED_ENTITIES: Array<{ ENTITY_TYPE: string; ENTITY_ID: number }>;
	CRM_ENTITY_TYPE: string | null;
	CRM_ENTITY_ID: number | null;
	LEAD_CREATION_ERROR?: string;
}

export const registerMethod: MethodDefinition = {
	name: 'telephony.externalcall.register',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		const { params, runtime } = ctx;
		const userId = resolveCallUserId(runtime.state, params);
		if (!userId) throw coreError('USER_ID or USER_PHONE_INNER should be set');
		if (!CALL_TYPES.some((type) => phpLooseEqualsInt(params.TYPE, type)))
			throw coreError('Unknown TYPE');
		const now = runtime.now();
		let startDate = Math.floor(now / 1000) * 1000;
		if (isSet(params.CALL_START_DATE) && params.CALL_START_DATE !== '') {
			const parsed = isPhpArray(params.CALL_START_DATE)
				? null
				: parsePortalDate(phpString(params.CALL_START_DATE), now);
			if (parsed === null) throw coreError('CALL_START_DATE should be in the ISO-8601 format');
			startDate = parsed;
		}
		return ok(
			registerCall(runtime, {
				userId,
				phoneNumber: params.PHONE_NUMBER,
				type: params.TYPE,
				startDate,
				restAppId: ctx.auth.appId,
				lineNumber: params.LINE_NUMBER,
				externalCallId: params.EXTERNAL_CALL_ID,
				crm: params.CRM,
				crmCreate: params.CRM_CREATE,
				crmSource: params.CRM_SOURCE,
				crmEntityType: params.CRM_ENTITY_TYPE,
				crmEntityId: params.CRM_ENTITY_ID,
				callListId: params.CALL_LIST_ID,
				addToChat: params.ADD_TO_CHAT,
				show: isSet(params.SHOW) ? phpTruthy(params.SHOW) : true,
				params,
			}),
		);
	},
};

/** Rest\Helper::registerExternalCall. Throws the phone and user errors (steps 5 and 6 of its validation order). */
export function registerCall(runtime: SandboxRuntime, fields: RegisterFields): RegisterResult {
	const { state } = runtime;
	const now = runtime.now();
	const callId = newCallId(fields, now);
	const phoneNumber = stripLetters(phpString(fields.phoneNumber));
	if (!phpTruthy(phoneNumber)) throw coreError('Unsupported phone number format');
	if (!isActiveRealUser(state, fields.userId))
		throw coreError('User is not found or is not active');

	const lineNumber = normalizedLineNumber(fields.lineNumber);
	const line = lineNumber === null ? null : findOrCreateLine(state, fields.restAppId, lineNumber);
	// Helper::registerExternalCall sends onCallInit (REST: ONVOXIMPLANTCALLINIT) here, before the
	// 30-minute dedup, with the CALL_ID it just made up: a deduplicated register announces a CALL_ID
	// that it then does not return (docs/bitrix24-fidelity.md row 46).
	runtime.eventSink?.(
		'ONVOXIMPLANTCALLINIT',
		{
			CALL_ID: callId,
			CALL_TYPE: fields.type,
			CALLER_ID: phoneNumber,
			REST_APP_ID: fields.restAppId,
		},
		fields.userId,
	);

	// A client number equal to an active user's extension is an internal call: no CRM at all.
	const portalUser = state.users.find(
		(user) => user.active && user.phoneInner !== null && user.phoneInner === phoneNumber,
	);
	const type = phpInt(fields.type);

	const duplicate = state.activeCalls.find(
		(call) =>
			call.userId === fields.userId &&
			call.phoneNumber === phoneNumber &&
			call.type === type &&
			call.dateCreate > now - DEDUP_WINDOW_MS &&
			call.restAppId === fields.restAppId &&
			(line === null || call.lineId === line.id) &&
			(!isSet(fields.externalCallId) || call.externalCallId === phpString(fields.externalCallId)),
	);
	if (duplicate) {
		duplicate.registerCount++;
		if (fields.show) showCard(runtime, duplicate, 'register');
		// The dedup path returns the stored values uncast: CRM_ENTITY_TYPE may be null (docs/bitrix24-fidelity.md row 3).
		return {
			CALL_ID: duplicate.callId,
			CRM_CREATED_LEAD: duplicate.crmCreatedLead || null,
			CRM_CREATED_ENTITIES: duplicate.crmCreatedEntities.map((entity) => ({ ...entity })),
			CRM_ENTITY_TYPE: duplicate.primaryEntityType,
			CRM_ENTITY_ID: duplicate.primaryEntityId || null,
		};
	}

	const call: ActiveCall = {
		callId,
		userId: fields.userId,
		phoneNumber,
		type,
		dateCreate: fields.startDate,
		restAppId: fields.restAppId,
		lineId: line?.id ?? null,
		portalNumber: phpTruthy(lineNumber)
			? (lineNumber as string)
			: `REST_APP:${fields.restAppId ?? ''}`,
		externalCallId: isSet(fields.externalCallId) ? phpString(fields.externalCallId) : null,
		crmEnabled: !portalUser,
		portalUserId: portalUser?.id ?? null,
		primaryEntityType: null,
		primaryEntityId: null,
		crmCreatedLead: null,
		crmCreatedEntities: [],
		leadCreationError: null,
		crmSource: isSet(fields.crmSource) ? phpString(fields.crmSource) : null,
		callListId: phpInt(fields.callListId) > 0 ? phpInt(fields.callListId) : null,
		show: fields.show,
		addToChat: fields.addToChat ?? null,
		registeredAt: now,
		registerCount: 1,
		params: fields.params,
	};
	bindCrm(runtime, call, fields);
	state.activeCalls.push(call);
	if (fields.show) showCard(runtime, call, 'register');

	const result: RegisterResult = {
		CALL_ID: call.callId,
		CRM_CREATED_LEAD: call.crmCreatedLead || null,
		CRM_CREATED_ENTITIES: call.crmCreatedEntities.map((entity) => ({ ...entity })),
		CRM_ENTITY_TYPE: call.primaryEntityType ?? '',
		CRM_ENTITY_ID: call.primaryEntityId || null,
	};
	if (call.leadCreationError !== null) result.LEAD_CREATION_ERROR = call.leadCreationError;
	return result;
}

/** 'externalCall.' . md5(uniqid(...)) . '.' . time() */
function newCallId(fields: RegisterFields, now: number): string {
	const md5 = createHash('md5')
		.update(
			`${fields.restAppId ?? ''}${fields.userId}${phpString(fields.phoneNumber)}${randomBytes(8).toString('hex')}`,
		)
		.digest('hex');
	return `externalCall.${md5}.${Math.floor(now / 1000)}`;
}

/** The call card for the call's user (a pull event in a real portal), recorded for assertions. */
export function showCard(
	runtime: SandboxRuntime,
	call: ActiveCall,
	via: 'register' | 'show',
	userIds: unknown[] = [call.userId],
): void {
	runtime.state.cardEvents.push({
		callId: call.callId,
		action: 'show',
		userIds,
		via,
		time: runtime.now(),
	});
}
