/**
 * The employee a call belongs to, resolved the same way by register and finish (docs/bitrix24-fidelity.md rows 1, 6).
 */
import { isSet, Params, phpInt, phpString } from '../php-values';
import { findUser, PortalState } from '../state';

/**
 * (int)USER_ID when non-zero; otherwise the active real user whose UF_PHONE_INNER equals
 * USER_PHONE_INNER; 0 when neither resolves (an unknown extension gives the misleading
 * "USER_ID or USER_PHONE_INNER should be set").
 */
export function resolveCallUserId(state: PortalState, params: Params): number {
	const userId = phpInt(params.USER_ID);
	if (userId !== 0) return userId;
	if (!isSet(params.USER_PHONE_INNER)) return 0;
	const extension = phpString(params.USER_PHONE_INNER);
	const user = state.users.find(
		(candidate) => candidate.phoneInner === extension && candidate.active && candidate.isRealUser,
	);
	return user ? user.id : 0;
}

/** UserTable filter '=ACTIVE' => 'Y', '=IS_REAL_USER' => 'Y': bots and fired users are refused. */
export function isActiveRealUser(state: PortalState, userId: number): boolean {
	const user = findUser(state, userId);
	return Boolean(user && user.active && user.isRealUser);
}
