/**
 * Bodies no Bitrix24 portal sends, posted over HTTP to the trigger's production URL: each is
 * answered 400 (or 401), none starts an execution, none crashes the node or pollutes prototypes.
 */
import {
	OUTBOUND_TOKEN,
	outboundCredentials,
	triggerWorkflow,
	useTriggerEnvironment,
} from './environment';

const { n8n } = useTriggerEnvironment();

const TOKEN = `auth%5Bapplication_token%5D=${OUTBOUND_TOKEN}`;

function setUp() {
	return triggerWorkflow(n8n(), {
		parameters: {
			authentication: 'outboundWebhook',
			events: ['ONEXTERNALCALLSTART', 'ONEXTERNALCALLBACKSTART'],
		},
		credentials: outboundCredentials(),
	});
}

afterEach(() => {
	expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	expect(({} as Record<string, unknown>).x).toBeUndefined();
	expect(Object.prototype).not.toHaveProperty('polluted');
});

describe('hostile bodies', () => {
	test.each([
		[
			'data[__proto__][x]',
			`event=ONEXTERNALCALLSTART&data%5B__proto__%5D%5Bx%5D=1&data%5BCALL_ID%5D=c1&${TOKEN}`,
		],
		[
			'constructor[prototype]',
			`event=ONEXTERNALCALLSTART&constructor%5Bprototype%5D%5Bpolluted%5D=1&${TOKEN}`,
		],
		['__proto__ at the top', `event=ONEXTERNALCALLSTART&__proto__%5Bpolluted%5D=1&${TOKEN}`],
		[
			'auth[__proto__][application_token]',
			`event=ONEXTERNALCALLSTART&auth%5B__proto__%5D%5Bapplication_token%5D=${OUTBOUND_TOKEN}`,
		],
		[
			'2000 keys',
			`event=ONEXTERNALCALLSTART&${TOKEN}&${Array.from({ length: 2000 }, (_, i) => `data%5BK${i}%5D=${i}`).join('&')}`,
		],
		['deep nesting', `event=ONEXTERNALCALLSTART&${TOKEN}&data${'%5Ba%5D'.repeat(40)}=1`],
		['a 200 KB value', `event=ONEXTERNALCALLSTART&${TOKEN}&data%5BTEXT%5D=${'a'.repeat(200_000)}`],
		['no event', `data%5BCALL_ID%5D=c1&${TOKEN}`],
		['an event name that is not one', `event=%3Cscript%3E&${TOKEN}`],
		['data as a string', `event=ONEXTERNALCALLSTART&data=oops&${TOKEN}`],
		['auth as a string', `event=ONEXTERNALCALLSTART&auth=${OUTBOUND_TOKEN}`],
		['a broken bracket name', `event=ONEXTERNALCALLSTART&data%5BCALL_ID=c1&${TOKEN}`],
	])('%s → 400, nothing started', async (_name, body) => {
		const workflow = setUp();
		const answer = await n8n().post(workflow.webhookUrl(), body);
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.body)).toMatchObject({
			error: 'invalid_event',
			message: expect.stringMatching(/^Not a Bitrix24 event: /),
		});
		expect(answer.body).not.toContain(OUTBOUND_TOKEN);
		expect(await workflow.runs()).toHaveLength(0);
		expect(workflow.calls.every((call) => call.error === undefined)).toBe(true);
	});

	test.each([
		[
			'JSON with an own __proto__ key',
			400,
			'{"event":"ONEXTERNALCALLSTART","data":{"__proto__":{"polluted":1}}}',
			'application/json',
		],
		['plain text', 400, 'event=ONEXTERNALCALLSTART', 'text/plain'],
		['an empty form', 400, '', 'application/x-www-form-urlencoded'],
		[
			'binary noise',
			400,
			Buffer.from([0xff, 0xfe, 0x00, 0x3d, 0x26, 0x5b]),
			'application/octet-stream',
		],
		[
			'invalid UTF-8 and broken escapes with a wrong token',
			401,
			'event=ONEXTERNALCALLSTART&data%5BX%5D=%E0%A4%A&auth%5Bapplication_token%5D=%FF%FE',
			'application/x-www-form-urlencoded',
		],
	])('%s → %i', async (_name, status, body, contentType) => {
		const workflow = setUp();
		const answer = await n8n().post(workflow.webhookUrl(), body, contentType);
		expect(answer.status).toBe(status);
		expect(await workflow.runs()).toHaveLength(0);
		expect(workflow.calls.every((call) => call.error === undefined)).toBe(true);
	});

	test('a valid event still works after all that', async () => {
		const workflow = setUp();
		const answer = await n8n().post(
			workflow.webhookUrl(),
			`event=ONEXTERNALCALLSTART&data%5BCALL_ID%5D=c1&${TOKEN}`,
		);
		expect(answer.status).toBe(200);
		const [item] = await workflow.triggerItems();
		expect(item.json).toEqual({ event: 'ONEXTERNALCALLSTART', data: { CALL_ID: 'c1' }, auth: {} });
	});
});
