/**
 * The sandbox portal's 'demo' seed (sandbox/seed.ts), as the demo and the e2e suite use it:
 * employees with extensions, a contact and a company with their numbers, the telephony line.
 */
export const DEMO_SEED = {
	anna: { id: 1, extension: '101' },
	boris: { id: 2, extension: '102' },
	chen: { id: 3, extension: '103' },
	acmeContact: { id: 797, phone: '+4915112345678' },
	daisyCompany: { id: 643, phone: '+493012345678' },
	line: '+493000000',
	/** Nobody in the CRM has this number: a call from it creates a lead. */
	unknownPhone: '+4917655501234',
} as const;
