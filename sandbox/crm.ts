/**
 * CRM lookups by phone or e-mail (in the caller's entity order) and the lead a call creates
 * when CRM_CREATE is on.
 */
import { phonesMatch } from './phone';
import { CrmEntityType, CrmRecord, crmCollection, nextId, PortalState } from './state';

export interface CrmMatch {
	type: CrmEntityType;
	record: CrmRecord;
}

/** CCrmSipHelper::findByPhoneNumber: exact match on normalized digits, in the given type order. */
export function findByPhone(state: PortalState, phone: string, order: CrmEntityType[]): CrmMatch[] {
	const matches: CrmMatch[] = [];
	for (const type of order) {
		for (const record of crmCollection(state, type)) {
			if (record.phones.some((stored) => phonesMatch(stored, phone)))
				matches.push({ type, record });
		}
	}
	return matches;
}

/** Finds records by e-mail (crm.duplicate.findbycomm type EMAIL), case-insensitive. */
export function findByEmail(state: PortalState, email: string, order: CrmEntityType[]): CrmMatch[] {
	const wanted = email.trim().toLowerCase();
	const matches: CrmMatch[] = [];
	for (const type of order) {
		for (const record of crmCollection(state, type)) {
			if (record.emails.some((stored) => stored.trim().toLowerCase() === wanted))
				matches.push({ type, record });
		}
	}
	return matches;
}

export function createLead(
	state: PortalState,
	fields: {
		title: string;
		phone: string;
		assignedById: number;
		sourceId: string | null;
		callId: string;
	},
): CrmRecord {
	const lead: CrmRecord = {
		id: nextId(state, 'lead'),
		name: fields.title,
		phones: [fields.phone],
		emails: [],
		assignedById: fields.assignedById,
		sourceId: fields.sourceId,
		createdByCallId: fields.callId,
	};
	state.leads.push(lead);
	return lead;
}
