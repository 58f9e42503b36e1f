/**
 * What a newly registered call is bound to (voximplant Rest\Helper::registerExternalCall):
 * its external line, auto-created when unknown, and its CRM record, found by phone or created.
 */
import { createLead, findByPhone } from '../crm';
import { isSet, Params, phpInt, phpString, phpTruthy } from '../php-values';
import type { SandboxRuntime } from '../runtime';
import { ActiveCall, ExternalLine, nextId, PortalState } from '../state';

/** The already validated fields Rest\Helper::registerExternalCall receives. */
export interface RegisterFields {
	userId: number;
	phoneNumber: unknown;
	type: unknown;
	startDate: number;
	restAppId: number | null;
	lineNumber?: unknown;
	externalCallId?: unknown;
	crm?: unknown;
	crmCreate?: unknown;
	crmSource?: unknown;
	crmEntityType?: unknown;
	crmEntityId?: unknown;
	callListId?: unknown;
	addToChat?: unknown;
	show: boolean;
	params: Params;
}

/** ExternalLineTable NUMBER column length. */
const LINE_NUMBER_LENGTH = 50;

/** LINE_NUMBER trimmed and cut to the column length; null when absent or blank. */
export function normalizedLineNumber(value: unknown): string | null {
	if (!isSet(value)) return null;
	const trimmed = phpString(value).trim();
	return trimmed === '' ? null : trimmed.slice(0, LINE_NUMBER_LENGTH);
}

/** An unknown LINE_NUMBER silently becomes a new line of the calling app (voximplant ExternalLineTable::add). */
export function findOrCreateLine(
	state: PortalState,
	appId: number | null,
	number: string,
): ExternalLine {
	const existing = state.lines.find((line) => line.appId === appId && line.number === number);
	if (existing) return existing;
	const line: ExternalLine = {
		id: nextId(state, 'line'),
		appId,
		number,
		name: null,
		crmAutoCreate: 'Y',
	};
	state.lines.push(line);
	return line;
}

/**
 * Explicit CRM_ENTITY_TYPE + CRM_ENTITY_ID (both isset) become the primary entity without any
 * check; otherwise contacts, companies and leads are searched by phone and the first one wins.
 * CRM_CREATE (or CRM) then creates a lead only when nothing is bound.
 */
export function bindCrm(runtime: SandboxRuntime, call: ActiveCall, fields: RegisterFields): void {
	const { state } = runtime;
	if (isSet(fields.crmEntityType) && isSet(fields.crmEntityId)) {
		call.primaryEntityType = phpString(fields.crmEntityType);
		call.primaryEntityId = phpInt(fields.crmEntityId);
	} else if (call.crmEnabled) {
		const [first] = findByPhone(state, call.phoneNumber, ['CONTACT', 'COMPANY', 'LEAD']);
		if (first) {
			call.primaryEntityType = first.type;
			call.primaryEntityId = first.record.id;
		}
	}
	const crmCreate = (phpTruthy(fields.crm) || phpTruthy(fields.crmCreate)) && call.crmEnabled;
	if (!crmCreate || call.primaryEntityId) return;
	if (state.leadCreationError !== null) {
		call.leadCreationError = state.leadCreationError;
		return;
	}
	const lead = createLead(state, {
		title: `${call.type === 1 ? 'Outgoing' : 'Incoming'} call ${call.phoneNumber}`,
		phone: call.phoneNumber,
		assignedById: call.userId,
		sourceId: call.crmSource ?? 'CALL',
		callId: call.callId,
	});
	call.primaryEntityType = 'LEAD';
	call.primaryEntityId = lead.id;
	call.crmCreatedLead = lead.id;
	call.crmCreatedEntities = [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: lead.id }];
}
