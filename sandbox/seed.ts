/**
 * Initial portal data. 'demo' is the shared fixture every test can rely on; 'empty' has only the
 * webhook owner and the portal's built-in lead sources.
 */
import { randomBytes } from 'crypto';
import { CrmRecord, CrmStatus, PortalState, PortalUser } from './state';

export type SeedName = 'demo' | 'empty';

export function createState(seed: SeedName): PortalState {
	const state: PortalState = {
		memberId: randomBytes(16).toString('hex'),
		users: [user(1, 'Anna', 'Schmidt', '101', { admin: true, timemanStatus: 'OPENED' })],
		contacts: [],
		companies: [],
		leads: [],
		statuses: sourceStatuses(),
		lines: [],
		activeCalls: [],
		statistics: [],
		activities: [],
		records: [],
		transcripts: [],
		uploads: [],
		cardEvents: [],
		eventHandlers: [],
		webhooks: [],
		apps: [],
		leadCreationError: null,
		sequences: {
			lead: 1202,
			contact: 799,
			company: 644,
			line: 1,
			statistic: 1,
			activity: 7001,
			file: 9001,
			transcript: 1,
			eventHandler: 1001,
			app: 1,
		},
	};
	if (seed === 'demo') addDemoData(state);
	return state;
}

function addDemoData(state: PortalState): void {
	state.users.push(
		user(2, 'Boris', 'Ivanov', '102'),
		user(3, 'Chen', 'Li', '103'),
		user(4, 'Dmitri', 'Fired', '104', { active: false }),
		user(5, 'Robot', '', '199', { isRealUser: false }),
	);
	state.contacts.push(
		crm(797, 'ACME Support', '+4915112345678', 2),
		crm(798, 'John Doe', '+1 (906) 219-5047', 3),
	);
	state.companies.push(crm(643, 'Daisy LLC', '+493012345678', 1));
	state.leads.push(crm(1201, 'Old lead', '+79062195047', 1));
	state.lines.push({
		id: state.sequences.line++,
		appId: null,
		number: '+493000000',
		name: 'Main line',
		crmAutoCreate: 'Y',
	});
}

function user(
	id: number,
	name: string,
	lastName: string,
	phoneInner: string,
	extra: Partial<PortalUser> = {},
): PortalUser {
	return {
		id,
		name,
		lastName,
		email: `${name.toLowerCase()}@sandbox.example`,
		active: true,
		isRealUser: true,
		admin: false,
		phoneInner,
		workPhone: null,
		personalPhone: null,
		personalMobile: null,
		timemanStatus: 'CLOSED',
		userType: 'employee',
		...extra,
	};
}

function crm(id: number, name: string, phone: string, assignedById: number): CrmRecord {
	return {
		id,
		name,
		phones: [phone],
		emails: [],
		assignedById,
		sourceId: null,
		createdByCallId: null,
	};
}

function sourceStatuses(): CrmStatus[] {
	const sources: Array<[string, string]> = [
		['CALL', 'Call'],
		['EMAIL', 'E-Mail'],
		['WEB', 'Website'],
		['ADVERTISING', 'Advertising'],
		['OTHER', 'Other'],
	];
	return sources.map(([statusId, name], index) => ({
		id: 17 + index * 2,
		entityId: 'SOURCE',
		statusId,
		name,
		sort: (index + 1) * 10,
		system: statusId === 'OTHER',
	}));
}
