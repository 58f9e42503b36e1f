/**
 * telephony.externalCall.searchCrmEntities (docs/bitrix24-fidelity.md rows 14 and 44): CRM entities by phone in the order
 * contacts, leads, companies, each with its responsible user's phones and time-tracking status.
 * Helper::searchCrmEntities: TIMEMAN_STATUS is `NOT_INSTALLED` without the timeman module,
 * `UNAVAILABLE` for a user whose UF_TIMEMAN is off, else CTimeManUser::State() (OPENED/CLOSED/PAUSED…).
 */
import { findByPhone } from '../crm';
import { coreError } from '../errors';
import { phpString } from '../php-values';
import { findUser } from '../state';
import { MethodContext, MethodDefinition, ok } from './context';

export const searchCrmEntitiesMethod: MethodDefinition = {
	name: 'telephony.externalcall.searchcrmentities',
	scope: 'telephony',
	handler(ctx: MethodContext) {
		const phoneNumber = phpString(ctx.params.PHONE_NUMBER);
		if (phoneNumber === '') throw coreError('PHONE_NUMBER is empty');
		const { state } = ctx.runtime;
		const result = findByPhone(state, phoneNumber, ['CONTACT', 'LEAD', 'COMPANY']).map(
			({ type, record }) => {
				const responsible = findUser(state, record.assignedById);
				return {
					CRM_ENTITY_TYPE: type,
					CRM_ENTITY_ID: record.id,
					ASSIGNED_BY_ID: record.assignedById,
					NAME: record.name,
					ASSIGNED_BY: {
						ID: responsible ? String(responsible.id) : null,
						TIMEMAN_STATUS: responsible ? timemanStatus(ctx, responsible.timemanStatus) : null,
						USER_PHONE_INNER: responsible ? responsible.phoneInner : null,
						WORK_PHONE: responsible ? responsible.workPhone : null,
						PERSONAL_PHONE: responsible ? responsible.personalPhone : null,
						PERSONAL_MOBILE: responsible ? responsible.personalMobile : null,
					},
				};
			},
		);
		return ok(result);
	},
};

/** The portal-wide `timeman` option overrides the seeded per-user state. */
function timemanStatus(ctx: MethodContext, seeded: string): string {
	const mode = ctx.runtime.settings.timeman;
	return mode === 'tracked' ? seeded : mode;
}
