/** Parameters tests start from, to vary one field at a time. */

/** Call → Register for the demo seed's ACME contact, taken by extension 101 (Anna). */
export const REGISTER_PARAMETERS = {
	resource: 'call',
	operation: 'register',
	userIdentification: 'extension',
	userPhoneInner: '101',
	phoneNumber: '+4915112345678',
	type: 2,
};
