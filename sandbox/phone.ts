/**
 * Phone number handling of the portal: what register stores, how CRM matching normalises
 * numbers, and the E.164 and extension forms events carry.
 */

/** CVoxImplantPhone::stripLetters: keep digits and `# * + , ;`. This is all register does. */
export function stripLetters(number: string): string {
	return number.replace(/[^0-9#*+,;]/g, '');
}

/**
 * DuplicateCommunicationCriterion::normalizePhone -> NormalizePhone($value, 1), extension dropped.
 * CRM matching compares these digit strings exactly.
 */
export function normalizePhone(value: string): string {
	let number = value.split(/[;#,]/)[0];
	if (number.length >= 10 && number.startsWith('+8')) number = `00${number.slice(1)}`;
	number = number.replace(/[^0-9#*]/g, '');
	if (number.length >= 10) {
		if (/^8[012]/.test(number)) {
			// 80/81/82 prefixes are kept as they are
		} else if (number.startsWith('00')) {
			number = number.slice(2);
		} else if (number.startsWith('011')) {
			number = number.slice(3);
		} else if (number.startsWith('8')) {
			number = `7${number.slice(1)}`;
		} else if (number.startsWith('0')) {
			number = number.slice(1);
		}
	}
	return number;
}

/** True when both numbers normalize to the same non-empty digit string. */
export function phonesMatch(a: string, b: string): boolean {
	const left = normalizePhone(a);
	return left !== '' && left === normalizePhone(b);
}

/**
 * PHONE_NUMBER_INTERNATIONAL of ONEXTERNALCALLSTART. The portal formats with libphonenumber;
 * "+" followed by the normalized digits is the same for numbers stored in international form.
 */
export function toE164(number: string): string {
	const digits = normalizePhone(number);
	return digits === '' ? '' : `+${digits}`;
}

/** The extension part of a dialled number ("+4930123;45" -> "45"), "" when there is none. */
export function phoneExtension(number: string): string {
	const match = /[;#,]\s*(\d+)\s*$/.exec(number) ?? /\s(?:ext\.?|x)\s*(\d+)\s*$/i.exec(number);
	return match ? match[1] : '';
}
