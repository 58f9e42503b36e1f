/**
 * The bad-input matrix: hostile or broken values for every operation, each arriving the way it
 * would in production (from the incoming item, through an expression). Each must end in a clear
 * error naming the item and the field, with NOTHING sent to Bitrix24 for that item, while the
 * other items go on under Continue On Fail. The process never crashes.
 *
 * One file over 250 lines: the matrix is one table, so that a new field's hostile values go in one place.
 */
import type { IDataObject } from 'n8n-workflow';

import { restMethods, usePortal, webhookCredentials } from '../helpers/portal';
import { runNode, type RunNodeOptions } from '../helpers/workflowRunner';

const { portal } = usePortal();

const register = {
	resource: 'call',
	operation: 'register',
	userIdentification: 'extension',
	userPhoneInner: '101',
	phoneNumber: '+4915112345678',
	type: 2,
};
const finish = {
	resource: 'call',
	operation: 'finish',
	callId: 'externalCall.00.1',
	userIdentification: 'extension',
	userPhoneInner: '101',
	duration: 0,
	statusCode: 'auto',
};
const cards = { resource: 'call', operation: 'show', callId: 'externalCall.00.1', userIds: '1' };
const transcription = {
	resource: 'call',
	operation: 'attachTranscription',
	callId: 'externalCall.00.1',
};
const attach = {
	resource: 'call',
	operation: 'attachRecord',
	callId: 'externalCall.00.1',
	source: 'binary',
	binaryPropertyName: 'data',
};
const search = { resource: 'call', operation: 'searchCrmEntities' };
const logCall = { ...register, operation: 'logCompletedCall', duration: 10, statusCode: '200' };
const line = { resource: 'line', operation: 'create', name: 'x', crmAutoCreate: true };

const BAD = '={{ $json.bad }}';
const long = (n: number) => 'x'.repeat(n);

type Case = [
	name: string,
	parameters: Record<string, unknown>,
	bad: unknown,
	field: string,
	extra?: Partial<RunNodeOptions>,
];

const cases: Case[] = [
	// Register: the caller's number
	['register: empty number', { ...register, phoneNumber: BAD }, '', "'Phone Number'"],
	['register: null number', { ...register, phoneNumber: BAD }, null, "'Phone Number'"],
	[
		'register: withheld "anonymous"',
		{ ...register, phoneNumber: BAD },
		'anonymous',
		"'Phone Number'",
	],
	['register: withheld "Unknown"', { ...register, phoneNumber: BAD }, 'Unknown', "'Phone Number'"],
	['register: only symbols', { ...register, phoneNumber: BAD }, '+++', "'Phone Number'"],
	['register: a list as number', { ...register, phoneNumber: BAD }, ['+491'], "'Phone Number'"],
	['register: an object as number', { ...register, phoneNumber: BAD }, { a: 1 }, "'Phone Number'"],
	['register: a boolean as number', { ...register, phoneNumber: BAD }, true, "'Phone Number'"],
	[
		'register: a huge number string',
		{ ...register, phoneNumber: BAD },
		`+49${'1'.repeat(100_000)}`,
		"'Phone Number'",
	],
	[
		'register: control characters in number',
		{ ...register, phoneNumber: BAD },
		'+49\u0007151',
		"'Phone Number'",
	],
	// Register: type
	['register: type 0', { ...register, type: BAD }, 0, "'Call Type'"],
	['register: type 6', { ...register, type: BAD }, 6, "'Call Type'"],
	['register: type -1', { ...register, type: BAD }, -1, "'Call Type'"],
	['register: type 2.5', { ...register, type: BAD }, 2.5, "'Call Type'"],
	['register: type "incoming"', { ...register, type: BAD }, 'incoming', "'Call Type'"],
	// Register: the employee
	['register: empty extension', { ...register, userPhoneInner: BAD }, '', "'Extension'"],
	[
		'register: 51-character extension',
		{ ...register, userPhoneInner: BAD },
		long(51),
		"'Extension'",
	],
	['register: a list as extension', { ...register, userPhoneInner: BAD }, ['101'], "'Extension'"],
	['register: NUL in extension', { ...register, userPhoneInner: BAD }, '10\u00001', "'Extension'"],
	[
		'register: user id "abc"',
		{ ...register, userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: BAD } },
		'abc',
		"'User'",
	],
	[
		'register: user id -5',
		{ ...register, userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: BAD } },
		-5,
		"'User'",
	],
	[
		'register: user id 0',
		{ ...register, userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: BAD } },
		0,
		"'User'",
	],
	[
		'register: user id 1.5',
		{ ...register, userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: BAD } },
		1.5,
		"'User'",
	],
	[
		'register: user id beyond 32 bits',
		{ ...register, userIdentification: 'userId', userId: { __rl: true, mode: 'id', value: BAD } },
		99999999999,
		"'User'",
	],
	// Register: dates
	[
		'register: a date that is text',
		{ ...register, additionalFields: { callStartDate: BAD } },
		'next tuesday',
		"'Call Start Date'",
	],
	[
		'register: year 0000',
		{ ...register, additionalFields: { callStartDate: BAD } },
		'0000-00-00 00:00:00',
		"'Call Start Date'",
	],
	[
		'register: the far past',
		{ ...register, additionalFields: { callStartDate: BAD } },
		'1969-12-31T23:00:00Z',
		"'Call Start Date'",
	],
	[
		'register: the far future',
		{ ...register, additionalFields: { callStartDate: BAD } },
		'2999-01-01T00:00:00Z',
		"'Call Start Date'",
	],
	[
		'register: an object as date',
		{ ...register, additionalFields: { callStartDate: BAD } },
		{ y: 2026 },
		"'Call Start Date'",
	],
	[
		'register: negative epoch',
		{ ...register, additionalFields: { callStartDate: BAD } },
		-1000,
		"'Call Start Date'",
	],
	// Register: CRM and the rest
	[
		'register: CRM type DEAL',
		{ ...register, additionalFields: { crmEntityType: BAD, crmEntityId: 5 } },
		'DEAL',
		"'CRM Entity Type'",
	],
	[
		'register: CRM id negative',
		{ ...register, additionalFields: { crmEntityType: 'CONTACT', crmEntityId: BAD } },
		-797,
		"'CRM Entity ID'",
	],
	[
		'register: CRM id fractional',
		{ ...register, additionalFields: { crmEntityType: 'CONTACT', crmEntityId: BAD } },
		797.5,
		"'CRM Entity ID'",
	],
	[
		'register: call list id text',
		{ ...register, additionalFields: { callListId: BAD } },
		'list-1',
		"'Call List ID'",
	],
	[
		'register: 51-character line',
		{ ...register, additionalFields: { lineNumber: BAD } },
		long(51),
		"'Line Number'",
	],
	[
		'register: 300-character external id',
		{ ...register, externalCallId: BAD },
		long(300),
		"'External Call ID'",
	],
	[
		'register: 300-character external id where older workflows keep it',
		{ ...register, additionalFields: { externalCallId: BAD } },
		long(300),
		"'External Call ID (Legacy)'",
	],
	[
		'register: CR LF after the external id',
		{ ...register, externalCallId: BAD },
		'L1\r\n',
		"'External Call ID'",
	],
	[
		'register: LF in the line number',
		{ ...register, additionalFields: { lineNumber: BAD } },
		'+4930\n',
		"'Line Number'",
	],
	['finish: NUL in the call id', { ...finish, callId: BAD }, 'externalCall.1\u0000', "'Call ID'"],
	[
		'register: CR after the extension',
		{ ...register, userPhoneInner: BAD },
		'101\r',
		"'Extension'",
	],
	[
		'register: flag "maybe"',
		{ ...register, additionalFields: { crmCreate: BAD } },
		'maybe',
		"'Create CRM Lead'",
	],
	['register: flag 2', { ...register, additionalFields: { show: BAD } }, 2, "'Show Call Card'"],
	[
		'register: flag object',
		{ ...register, additionalFields: { addToChat: BAD } },
		{ on: true },
		"'Add to Chat'",
	],
	// Finish
	['finish: empty call id', { ...finish, callId: BAD }, '', "'Call ID'"],
	['finish: a list as call id', { ...finish, callId: BAD }, ['externalCall.1'], "'Call ID'"],
	['finish: 300-character call id', { ...finish, callId: BAD }, long(300), "'Call ID'"],
	['finish: negative duration', { ...finish, duration: BAD }, -1, "'Duration'"],
	['finish: fractional duration', { ...finish, duration: BAD }, 1.5, "'Duration'"],
	['finish: duration "ten"', { ...finish, duration: BAD }, 'ten', "'Duration'"],
	['finish: a duration of days', { ...finish, duration: BAD }, 1_000_000, "'Duration'"],
	['finish: status 999', { ...finish, statusCode: BAD }, '999', "'Status'"],
	['finish: vote 0', { ...finish, additionalFields: { vote: BAD } }, 0, "'Vote'"],
	['finish: vote "five"', { ...finish, additionalFields: { vote: BAD } }, 'five', "'Vote'"],
	['finish: negative cost', { ...finish, additionalFields: { cost: BAD } }, -0.01, "'Cost'"],
	['finish: cost "free"', { ...finish, additionalFields: { cost: BAD } }, 'free', "'Cost'"],
	[
		'finish: 4-letter currency',
		{ ...finish, additionalFields: { costCurrency: BAD } },
		'EURO',
		"'Cost Currency'",
	],
	// Show / Hide
	['show: user ids "a,b"', { ...cards, userIds: BAD }, 'a,b', "'Users'"],
	['show: negative user id', { ...cards, userIds: BAD }, [-1], "'Users'"],
	['show: objects as user ids', { ...cards, userIds: BAD }, [{}], "'Users'"],
	['show: fractional user id', { ...cards, userIds: BAD }, '1.5', "'Users'"],
	[
		'show: 501 users',
		{ ...cards, userIds: BAD },
		Array.from({ length: 501 }, (_, i) => i + 1),
		"'Users'",
	],
	[
		'show: a __proto__ object',
		{ ...cards, userIds: BAD },
		JSON.parse('{"__proto__":{"polluted":1}}'),
		"'Users'",
	],
	// Attach Record
	['attach: no binary', { ...attach }, null, "'Input Binary Field'"],
	[
		'attach: an .ogg file',
		{ ...attach },
		null,
		"'File Name'",
		{ binaries: { 0: { data: { base64: 'AAAA', fileName: 'a.ogg' } } } },
	],
	[
		'attach: no extension',
		{ ...attach, fileName: BAD },
		'recording',
		"'File Name'",
		{ binaries: { 0: { data: { base64: 'AAAA', fileName: 'a.mp3' } } } },
	],
	[
		'attach: an empty file',
		{ ...attach },
		null,
		"'Input Binary Field'",
		{ binaries: { 0: { data: { base64: '', fileName: 'a.mp3' } } } },
	],
	['attach: empty URL', { ...attach, source: 'url', recordUrl: BAD }, '', "'Record URL'"],
	[
		'attach: ftp URL',
		{ ...attach, source: 'url', recordUrl: BAD },
		'ftp://pbx/a.mp3',
		"'Record URL'",
	],
	[
		'attach: javascript URL',
		{ ...attach, source: 'url', recordUrl: BAD },
		'javascript:alert(1)',
		"'Record URL'",
	],
	// Transcription
	['transcription: not JSON', { ...transcription, messages: BAD }, 'hello', "'Messages'"],
	['transcription: an empty list', { ...transcription, messages: BAD }, [], "'Messages'"],
	[
		'transcription: an unknown side',
		{ ...transcription, messages: BAD },
		[{ side: 'Bot', startTime: 0, stopTime: 1, message: 'x' }],
		"'Messages'",
	],
	[
		'transcription: negative start',
		{ ...transcription, messages: BAD },
		[{ side: 'User', startTime: -1, stopTime: 1, message: 'x' }],
		"'Messages'",
	],
	[
		'transcription: stop before start',
		{ ...transcription, messages: BAD },
		[{ side: 'User', startTime: 5, stopTime: 2, message: 'x' }],
		"'Messages'",
	],
	[
		'transcription: __proto__ entry',
		{ ...transcription, messages: BAD },
		JSON.parse(
			'[{"__proto__":{"side":"User","polluted":1},"startTime":0,"stopTime":1,"message":"x"}]',
		),
		"'Messages'",
	],
	[
		'transcription: 10,001-character text',
		{ ...transcription, messages: BAD },
		[{ side: 'User', startTime: 0, stopTime: 1, message: long(10_001) }],
		"'Messages'",
	],
	// Search, lines, log completed call
	['search: withheld number', { ...search, phoneNumber: BAD }, 'anonymous', "'Phone Number'"],
	['search: empty number', { ...search, phoneNumber: BAD }, '', "'Phone Number'"],
	['line: empty number', { ...line, number: BAD }, '', "'Line Number'"],
	['line: 51-character number', { ...line, number: BAD }, long(51), "'Line Number'"],
	['log call: negative duration', { ...logCall, duration: BAD }, -5, "'Duration'"],
	[
		'log call: recording with a wrong extension',
		{ ...logCall, binaryPropertyName: 'data' },
		null,
		"'Recording File Name'",
		{ binaries: { 0: { data: { base64: 'AAAA', fileName: 'x.aac' } } } },
	],
];

beforeEach(() => portal().clearRequests());

describe(`${cases.length} hostile or broken inputs`, () => {
	test.each(cases)('%s', async (_name, parameters, bad, field, extra = {}) => {
		const result = await runNode({
			credentials: webhookCredentials(portal()),
			parameters: parameters as never,
			items: [{ bad } as IDataObject],
			...extra,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/ \[item 0\]$/);
		expect(result.error?.message).toContain(field);
		expect(restMethods(portal())).toEqual([]);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('with Continue On Fail, the other items go on', () => {
	test('a bad item between good ones: only the good ones reach Bitrix24', async () => {
		const result = await runNode({
			credentials: webhookCredentials(portal()),
			parameters: {
				...register,
				phoneNumber: '={{ $json.phone }}',
				additionalFields: { externalCallId: '={{ $json.id }}', crmCreate: false },
			} as never,
			items: [
				{ phone: '+491511', id: 'cof-1' },
				{ phone: { evil: true }, id: 'cof-2' },
				{ phone: '+491522', id: 'cof-3' },
			],
			continueOnFail: true,
		});
		expect(result.items.map((i) => Boolean(i.json.CALL_ID))).toEqual([true, false, true]);
		expect(result.items[1].json.error).toContain(
			"'Phone Number' must be text, but is an object [item 1]",
		);
		expect(portal().requests[0].batchCommands).toHaveLength(2);
	});

	test('& and = inside a value cannot inject a batch parameter', async () => {
		const result = await runNode({
			credentials: webhookCredentials(portal()),
			parameters: {
				...register,
				additionalFields: { externalCallId: '={{ $json.id }}', crmCreate: false },
			} as never,
			items: [{ id: 'a&USER_ID=2&TYPE=1' }, { id: 'b=c%26d' }],
		});
		expect(result.status).toBe('success');
		const calls = result.items.map((i) =>
			portal().state.activeCalls.find((c) => c.callId === i.json.CALL_ID),
		);
		expect(calls.map((c) => [c?.externalCallId, c?.userId, c?.type])).toEqual([
			['a&USER_ID=2&TYPE=1', 1, 2],
			['b=c%26d', 1, 2],
		]);
	});
});
