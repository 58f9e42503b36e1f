/** Bitrix24's call result codes (SIP-like), with the words a user thinks in. */
export const STATUS_CODE_OPTIONS = [
	{
		name: 'Automatic (Answered if Duration > 0, Otherwise Missed)',
		value: 'auto',
		description: 'Let Bitrix24 decide (STATUS_CODE not sent)',
	},
	{ name: 'Answered (200)', value: '200' },
	{
		name: 'Missed (304)',
		value: '304',
		description: 'No answer. On incoming calls Bitrix24 logs a missed call.',
	},
	{ name: 'Declined (603)', value: '603' },
	{ name: 'Cancelled by Caller (603-S)', value: '603-S' },
	{ name: 'Forbidden (403)', value: '403' },
	{ name: 'Wrong Number (404)', value: '404' },
	{ name: 'Busy (486)', value: '486' },
	{ name: 'Direction Unavailable (484)', value: '484' },
	{ name: 'Direction Unavailable (503)', value: '503' },
	{ name: 'Temporarily Unavailable (480)', value: '480' },
	{ name: 'Insufficient Funds (402)', value: '402' },
	{ name: 'Blocked (423)', value: '423' },
	{ name: 'Other', value: 'OTHER' },
];

export const STATUS_CODES = STATUS_CODE_OPTIONS.map((o) => o.value).filter((v) => v !== 'auto');
