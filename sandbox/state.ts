/**
 * The portal's data: users, CRM, telephony lines and calls, files, event handlers, credentials.
 * Tests read and change it directly through `sandbox.state`.
 *
 * One piece on purpose (about 250 lines): it is the schema, one interface per table of the
 * portal plus the three accessors every method uses; read together, the tables explain each
 * other (a FinishedCall holds its ActiveCall, a CallRecord names a StoredFile).
 */
import { Params } from './php-values';

export type CrmEntityType = 'CONTACT' | 'COMPANY' | 'LEAD';

export interface PortalUser {
	id: number;
	name: string;
	lastName: string;
	email: string;
	active: boolean;
	/** IS_REAL_USER: false for bots and system users, which telephony refuses. */
	isRealUser: boolean;
	admin: boolean;
	/** UF_PHONE_INNER, the extension. */
	phoneInner: string | null;
	workPhone: string | null;
	personalPhone: string | null;
	personalMobile: string | null;
	/** Time-tracking status reported by searchCrmEntities (OPENED, CLOSED, PAUSED, ...). */
	timemanStatus: string;
	userType: 'employee' | 'extranet' | 'email';
}

export interface CrmRecord {
	id: number;
	name: string;
	phones: string[];
	emails: string[];
	assignedById: number;
	sourceId: string | null;
	/** CALL_ID of the call that auto-created this record (leads from CRM_CREATE). */
	createdByCallId: string | null;
}

export interface CrmStatus {
	id: number;
	entityId: string;
	statusId: string;
	name: string;
	sort: number;
	system: boolean;
}

export interface ExternalLine {
	id: number;
	/** REST_APP_ID of the app owning the line; null for lines created through webhooks. */
	appId: number | null;
	number: string;
	name: string | null;
	crmAutoCreate: 'Y' | 'N';
}

export interface CreatedCrmEntity {
	ENTITY_TYPE: string;
	ENTITY_ID: number;
}

/** A registered, not yet finished call (the voximplant call table). */
export interface ActiveCall {
	callId: string;
	userId: number;
	/** CALLER_ID: PHONE_NUMBER after stripLetters. */
	phoneNumber: string;
	type: number;
	/** DATE_CREATE = CALL_START_DATE, epoch ms; drives the 30-minute dedup. */
	dateCreate: number;
	restAppId: number | null;
	lineId: number | null;
	portalNumber: string;
	externalCallId: string | null;
	/** false for internal calls (PHONE_NUMBER equal to an extension). */
	crmEnabled: boolean;
	portalUserId: number | null;
	primaryEntityType: string | null;
	primaryEntityId: number | null;
	crmCreatedLead: number | null;
	crmCreatedEntities: CreatedCrmEntity[];
	leadCreationError: string | null;
	crmSource: string | null;
	callListId: number | null;
	show: boolean;
	addToChat: unknown;
	registeredAt: number;
	/** Every register call that returned this CALL_ID (1 + dedup hits). */
	registerCount: number;
	/** The raw parameters of the first register call. */
	params: Params;
}

/** A finished call (the statistics table), with the response `finish` returned. */
export interface FinishedCall {
	id: number;
	callId: string;
	call: ActiveCall;
	portalUserId: number;
	duration: number;
	statusCode: string;
	callStatus: number;
	addToChat: boolean;
	/** STATUS_CODE 304 on an incoming call registers a missed call. */
	missed: boolean;
	crmActivityId: number | null;
	recordUrl: string;
	recordFileId: number | null;
	transcriptId: number | null;
	finishedAt: number;
	params: Params;
	result: Record<string, unknown>;
}

export interface CrmActivity {
	id: number;
	callId: string;
	ownerType: string;
	ownerId: number;
	responsibleId: number;
	direction: number;
	duration: number;
	statusCode: string;
	recordFileIds: number[];
}

/** A file the portal received (recording). Only a digest is kept, so big uploads cost no memory. */
export interface StoredFile {
	id: number;
	fileName: string;
	size: number;
	sha256: string;
	/** Base64 of the first bytes, enough to recognise a test fixture. */
	head: string;
	source: 'url' | 'upload' | 'base64';
	sourceUrl: string | null;
	callId: string;
	storedAt: number;
	/** The Disk folder of call records it sits in: the call's start month, "Y-m" (portal clock). */
	folder: string;
	/** Deleted by the background job that runs when a newer record replaces it; its name is free again. */
	deleted: boolean;
}

/** The record currently attached to a call; a new attach replaces it. */
export interface CallRecord {
	callId: string;
	fileId: number;
	fileName: string;
	source: StoredFile['source'];
	attachedAt: number;
	replacedFileIds: number[];
}

export interface Transcript {
	id: number;
	callId: string;
	cost: number | null;
	costCurrency: string | null;
	messages: unknown[];
	createdAt: number;
}

/** A call card shown or hidden (pull events to the browser in a real portal). */
export interface CardEvent {
	callId: string;
	action: 'show' | 'hide';
	userIds: unknown[];
	via: 'register' | 'show' | 'hide' | 'finish';
	time: number;
}

export interface EventHandler {
	id: number;
	event: string;
	handler: string;
	/** App id; 0 for outbound webhooks configured in the UI. */
	appId: number;
	kind: 'app' | 'outbound-webhook';
	/** AUTH_TYPE of event.bind (0 = the user who caused the event). */
	userId: number;
	/** Outbound webhooks have their own token; apps use the app's token. */
	applicationToken: string;
}

export interface Webhook {
	userId: number;
	code: string;
	scopes: string[];
	/** Portal-clock ms after which the webhook no longer authorizes (local-webhooks.md); null = never. */
	expiresAt?: number | null;
}

export interface OAuthApp {
	id: number;
	clientId: string;
	clientSecret: string;
	code: string;
	name: string;
	scopes: string[];
	applicationToken: string;
	/** The user the authorize endpoint logs in as. */
	userId: number;
	redirectUri: string | null;
}

export interface PortalState {
	memberId: string;
	users: PortalUser[];
	contacts: CrmRecord[];
	companies: CrmRecord[];
	leads: CrmRecord[];
	statuses: CrmStatus[];
	lines: ExternalLine[];
	activeCalls: ActiveCall[];
	statistics: FinishedCall[];
	activities: CrmActivity[];
	records: CallRecord[];
	transcripts: Transcript[];
	uploads: StoredFile[];
	cardEvents: CardEvent[];
	eventHandlers: EventHandler[];
	webhooks: Webhook[];
	apps: OAuthApp[];
	/** When set, CRM_CREATE fails with this text as LEAD_CREATION_ERROR. */
	leadCreationError: string | null;
	/** Next ids per table. */
	sequences: Record<SequenceName, number>;
}

export type SequenceName =
	| 'lead'
	| 'contact'
	| 'company'
	| 'line'
	| 'statistic'
	| 'activity'
	| 'file'
	| 'transcript'
	| 'eventHandler'
	| 'app';

export function nextId(state: PortalState, sequence: SequenceName): number {
	const id = state.sequences[sequence];
	state.sequences[sequence] = id + 1;
	return id;
}

export function findUser(state: PortalState, id: number): PortalUser | undefined {
	return state.users.find((user) => user.id === id);
}

export function crmCollection(state: PortalState, type: CrmEntityType): CrmRecord[] {
	if (type === 'CONTACT') return state.contacts;
	if (type === 'COMPANY') return state.companies;
	return state.leads;
}
