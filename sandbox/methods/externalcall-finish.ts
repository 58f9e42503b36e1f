/**
 * telephony.externalCall.finish (docs/bitrix24-fidelity.md row 6): hides the card, writes the statistics row,
 * creates the CRM call activity, makes the finishing user responsible for auto-created entities
 * and deletes the active call.
 */
import { formatPortalDate } from '../dates';
import { coreError, RestError } from '../errors';
import { Params, phpFloat, phpInt, phpString, phpTruthy } from '../php-values';
import type { SandboxRuntime } from '../runtime';
import { ActiveCall, crmCollection, CrmEntityType, FinishedCall, nextId } from '../state';
import { isActiveRealUser, resolveCallUserId } from './call-user';
import { MethodContext, MethodDefinition, ok, requireTelephonyAuthType } from './context';

export const finishMethod: MethodDefinition = {
	name: 'telephony.externalcall.finish',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		requireTelephonyAuthType(ctx);
		const { params, runtime } = ctx;
		const { state } = runtime;
		// Order of vi_rest.php + Helper::finishExternalCall: user, CALL_ID type, call, user activity.
		const userId = resolveCallUserId(state, params);
		if (!userId) throw coreError('USER_ID or USER_PHONE_INNER should be set');
		if (typeof params.CALL_ID !== 'string')
			throw new RestError(400, 'INVALID_ARGUMENT', 'CALL_ID must be a string');
		const call = state.activeCalls.find((candidate) => candidate.callId === params.CALL_ID);
		if (!call) throw coreError('Call is not found (call should be registered prior to finishing');
		if (!isActiveRealUser(state, userId)) throw coreError('User is not found or is not active');
		return ok(finishCall(runtime, call, userId, params));
	},
};

function finishCall(
	runtime: SandboxRuntime,
	call: ActiveCall,
	userId: number,
	params: Params,
): Record<string, unknown> {
	const { state } = runtime;
	const now = runtime.now();
	state.cardEvents.push({
		callId: call.callId,
		action: 'hide',
		userIds: [userId],
		via: 'finish',
		time: now,
	});

	const duration = phpInt(params.DURATION);
	const statusCode = phpTruthy(params.STATUS_CODE)
		? phpString(params.STATUS_CODE)
		: duration > 0
			? '200'
			: '304';
	const app =
		call.restAppId === null
			? undefined
			: state.apps.find((candidate) => candidate.id === call.restAppId);
	const bound = phpTruthy(call.primaryEntityType) && (call.primaryEntityId ?? 0) > 0;

	for (const created of call.crmCreatedEntities) {
		const record = crmCollection(state, created.ENTITY_TYPE as CrmEntityType).find(
			(candidate) => candidate.id === created.ENTITY_ID,
		);
		if (record) record.assignedById = userId;
	}

	const crmActivityId = bound ? nextId(state, 'activity') : null;
	if (crmActivityId !== null) {
		state.activities.push({
			id: crmActivityId,
			callId: call.callId,
			ownerType: call.primaryEntityType as string,
			ownerId: call.primaryEntityId as number,
			responsibleId: userId,
			direction: call.type,
			duration,
			statusCode,
			recordFileIds: [],
		});
	}

	// Key order and types of the statistics row: INCOMING and CALL_FAILED_CODE are strings,
	// CALL_START_DATE is a PHP DateTime and serializes as {} (docs/bitrix24-fidelity.md row 6).
	const result: Record<string, unknown> = {
		CALL_ID: call.callId,
		EXTERNAL_CALL_ID: call.externalCallId,
		PORTAL_USER_ID: userId,
		PHONE_NUMBER: call.phoneNumber,
		PORTAL_NUMBER: call.portalNumber,
		INCOMING: String(call.type),
		CALL_DURATION: duration,
		CALL_START_DATE: {},
		CALL_STATUS: duration > 0 ? 1 : 0,
		CALL_VOTE: phpInt(params.VOTE),
		COST: phpFloat(params.COST),
		COST_CURRENCY: phpString(params.COST_CURRENCY),
		CALL_FAILED_CODE: statusCode,
		CALL_FAILED_REASON: phpString(params.FAILED_REASON),
		REST_APP_ID: call.restAppId === null ? null : String(call.restAppId),
		REST_APP_NAME: app ? app.name : false,
		CRM_ACTIVITY_ID: crmActivityId,
		COMMENT: null,
	};
	if (bound) {
		result.CRM_ENTITY_TYPE = call.primaryEntityType;
		result.CRM_ENTITY_ID = call.primaryEntityId;
	}
	const id = nextId(state, 'statistic');
	result.ID = id;

	const finished: FinishedCall = {
		id,
		callId: call.callId,
		call,
		portalUserId: userId,
		duration,
		statusCode,
		callStatus: duration > 0 ? 1 : 0,
		// vi_rest passes `ADD_TO_CHAT != false`: an absent value is false there.
		addToChat: phpTruthy(params.ADD_TO_CHAT),
		missed: statusCode === '304' && (call.type === 2 || call.type === 3),
		crmActivityId,
		recordUrl: phpString(params.RECORD_URL),
		recordFileId: null,
		transcriptId: null,
		finishedAt: now,
		params,
		result,
	};
	state.statistics.push(finished);
	state.activeCalls = state.activeCalls.filter((candidate) => candidate !== call);
	runtime.eventSink?.('ONVOXIMPLANTCALLEND', callEndData(finished), userId);
	return result;
}

/**
 * CVoxImplantHistory::sendCallEndEvent($statisticRecord), called last in Helper::finishExternalCall:
 * the fields of api-reference/telephony/voximplant/events/on-voximplant-call-end.md, from the same
 * statistics row voximplant.statistic.get lists (CALL_TYPE is its INCOMING).
 */
function callEndData(finished: FinishedCall): Record<string, unknown> {
	const { call, result } = finished;
	return {
		CALL_ID: call.callId,
		CALL_TYPE: String(call.type),
		PHONE_NUMBER: call.phoneNumber,
		PORTAL_NUMBER: call.portalNumber,
		PORTAL_USER_ID: String(finished.portalUserId),
		CALL_DURATION: String(finished.duration),
		CALL_START_DATE: formatPortalDate(call.dateCreate),
		COST: String(result.COST ?? 0),
		COST_CURRENCY: result.COST_CURRENCY,
		CALL_FAILED_CODE: finished.statusCode,
		CALL_FAILED_REASON: result.CALL_FAILED_REASON,
		CRM_ACTIVITY_ID: finished.crmActivityId === null ? '' : String(finished.crmActivityId),
	};
}
