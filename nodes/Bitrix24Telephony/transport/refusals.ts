/**
 * Telephony refusals that Bitrix24 sends with an empty or generic code, matched on their
 * `error_description` by `explainBitrix24Error` (errors.ts). One table, so that a new refusal is
 * one entry: Bitrix24's words (lower-case prefix), our one line, what to do.
 */
export const BY_DESCRIPTION: Array<[string, string, string]> = [
	[
		'user_id or user_phone_inner should be set',
		'Bitrix24 found no employee for this call',
		'Bitrix24 needs the employee as User ID or as extension. No active employee has this extension (Bitrix24 reads extensions from the user field "Internal phone", UF_PHONE_INNER), or the user ID was empty. Check the employee\'s internal phone in their Bitrix24 profile, or identify them by user ID.',
	],
	[
		'user is not found or is not active',
		'The Bitrix24 employee is not found or is not active',
		'The user ID does not belong to an active employee. Dismissed employees, bots and system users cannot own calls. Pick an active employee.',
	],
	[
		'unknown type',
		'Bitrix24 rejected the call type',
		'Call Type must be 1 (outgoing), 2 (incoming), 3 (incoming with redirection), 4 (callback) or 5 (informational). Old self-hosted portals accept only 1 and 2: use Incoming (2) there for redirected and callback calls, or update the portal.',
	],
	[
		'call_start_date should be in the iso-8601 format',
		'Bitrix24 could not read the call start date',
		'Send the date as ISO 8601 with a UTC offset, for example 2026-03-10T11:19:38+01:00.',
	],
	[
		'unsupported phone number format',
		'Bitrix24 could not read the phone number',
		'After removing letters and spaces nothing was left of the number. Send it in international format, for example +4915112345678.',
	],
	[
		'call is not found (call should be registered prior to finishing',
		'Bitrix24 has no active call with this call ID',
		'A call can be finished only once, and only after it was registered. This call ID was already finished, or never registered on this portal. If the PBX sent its hang-up twice, the first finish already logged the call.',
	],
	[
		'call_id must be a string',
		'Bitrix24 needs the call ID as text',
		'Use the CALL_ID returned by Register, for example externalCall.716f1cb73def9700a23842adf9c4c568.1773130779.',
	],
	[
		'call is not found in the statistic table',
		'The call is not finished yet: finish it before attaching the recording',
		'Bitrix24 attaches recordings only to finished calls. Run the Finish operation for this call ID first, then Attach Record.',
	],
	[
		'record url resolves to a non-public address',
		'Bitrix24 will not download the recording from a private address',
		'Bitrix24 cloud fetches Record URL from its own servers and refuses addresses in private networks (such as 192.168.x.x or localhost). Set Recording Source to "Binary File" and read the file into n8n first, or publish the recording at a public URL.',
	],
	// CFile::CheckFile sniffs the bytes (docs/bitrix24-fidelity.md row 40).
	[
		'invalid file type',
		'Bitrix24 refused the recording: its content is not MP3 or WAV audio',
		'Bitrix24 checks the bytes it receives, not the name. A Record URL may answer with an error or login page instead of the file: open it from outside your network, or read the file into n8n and attach it as "Binary File".',
	],
	// Helper::attachRecord keeps the extension's case (row 39).
	[
		'wrong file extension',
		"Bitrix24 refused the recording's file name: only .mp3 and .wav are accepted",
		'Name the recording with a lower-case .mp3 or .wav extension.',
	],
	// Disk: one file per name in each month's folder of call records (row 38).
	[
		'file with this name already exists',
		'Bitrix24 already stores a recording of this name this month',
		"Bitrix24 keeps one file per name in each month's folder of call records. Give the recording another file name.",
	],
];
