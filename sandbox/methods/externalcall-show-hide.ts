/**
 * telephony.externalCall.show / .hide (docs/bitrix24-fidelity.md row 8): true while the call is active, false
 * otherwise, never an error. USER_ID is an int or an array (taken as sent); default the call's user.
 */
import { isPhpArray, isSet, Params, phpArrayValues, phpInt, phpString } from '../php-values';
import { MethodContext, MethodDefinition, ok } from './context';
import { showCard } from './externalcall-register';

function targetUsers(params: Params, callUserId: number): unknown[] {
	if (!isSet(params.USER_ID)) return [callUserId];
	return isPhpArray(params.USER_ID) ? phpArrayValues(params.USER_ID) : [phpInt(params.USER_ID)];
}

export const showMethod: MethodDefinition = {
	name: 'telephony.externalcall.show',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const callId = phpString(ctx.params.CALL_ID);
		const call = ctx.runtime.state.activeCalls.find((candidate) => candidate.callId === callId);
		if (!call) return ok(false);
		showCard(ctx.runtime, call, 'show', targetUsers(ctx.params, call.userId));
		return ok(true);
	},
};

export const hideMethod: MethodDefinition = {
	name: 'telephony.externalcall.hide',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const { runtime, params } = ctx;
		const callId = phpString(params.CALL_ID);
		const call = runtime.state.activeCalls.find((candidate) => candidate.callId === callId);
		if (!call) return ok(false);
		runtime.state.cardEvents.push({
			callId,
			action: 'hide',
			userIds: targetUsers(params, call.userId),
			via: 'hide',
			time: runtime.now(),
		});
		return ok(true);
	},
};
