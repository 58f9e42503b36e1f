import axios from 'axios';
import { Sandbox, startSandbox } from '../../sandbox';
import { httpBuildQuery, parseStr } from '../../sandbox/php-query';

const http = axios.create({ validateStatus: () => true });

describe('PHP parse_str semantics', () => {
	it('builds nested arrays from brackets and lists from []', () => {
		expect(parseStr('a[b][]=1&a[b][]=2&c=x&d[k]=v')).toEqual({
			a: { b: ['1', '2'] },
			c: 'x',
			d: { k: 'v' },
		});
		expect(parseStr('USER_ID[]=1&USER_ID[]=2')).toEqual({ USER_ID: ['1', '2'] });
		expect(parseStr('fields[PHONE][0][VALUE]=%2B49&fields[PHONE][0][TYPE]=WORK')).toEqual({
			fields: { PHONE: [{ VALUE: '+49', TYPE: 'WORK' }] },
		});
	});

	it('decodes + as space, keeps malformed escapes, lets the last value win', () => {
		expect(parseStr('a=1+2&b=%ZZ&a=3')).toEqual({ a: '3', b: '%ZZ' });
		expect(parseStr('flag&empty=')).toEqual({ flag: '', empty: '' });
	});

	it('mangles names like PHP: dots and spaces to _, unclosed bracket to _', () => {
		expect(parseStr('a.b=1&c d=2&e[f=3&g[h]x=4')).toEqual({
			a_b: '1',
			c_d: '2',
			e_f: '3',
			g: { h: '4' },
		});
	});

	it('never pollutes prototypes', () => {
		const parsed = parseStr(
			'__proto__[polluted]=1&a[__proto__][x]=1&constructor[prototype][y]=1&ok=1',
		);
		expect(parsed).toEqual({ ok: '1' });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(({} as Record<string, unknown>).y).toBeUndefined();
	});

	it('builds queries like http_build_query', () => {
		expect(
			httpBuildQuery({ event: 'E', data: { A: '+1 2', B: null, C: true, D: [{ X: 1 }] } }),
		).toBe('event=E&data%5BA%5D=%2B1+2&data%5BC%5D=1&data%5BD%5D%5B0%5D%5BX%5D=1');
	});
});

describe('request bodies over HTTP', () => {
	let sandbox: Sandbox;
	const show = () => `${sandbox.webhookUrl}telephony.externalcall.show.json`;

	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.clearRequests());

	const lastParams = () => sandbox.requests[sandbox.requests.length - 1].params;

	it('reads JSON only with Content-Type application/json (charset ignored)', async () => {
		await http.post(show(), JSON.stringify({ CALL_ID: 'a', USER_ID: [1, 2] }), {
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
		});
		expect(lastParams()).toEqual({ CALL_ID: 'a', USER_ID: [1, 2] });
		await http.post(show(), JSON.stringify({ CALL_ID: 'a' }), {
			headers: { 'Content-Type': 'text/plain' },
		});
		expect(lastParams()).toEqual({});
	});

	it('treats invalid JSON as no parameters, which surfaces as a validation error', async () => {
		const response = await http.post(
			`${sandbox.webhookUrl}telephony.externalcall.register`,
			'{"USER_ID":1,',
			{
				headers: { 'Content-Type': 'application/json' },
			},
		);
		expect(response.status).toBe(400);
		expect(response.data).toEqual({
			error: '',
			error_description: 'USER_ID or USER_PHONE_INNER should be set',
		});
	});

	it('reads urlencoded bodies with brackets and lets the body win over the query', async () => {
		await http.post(
			`${show()}?CALL_ID=fromQuery&extra=q`,
			'CALL_ID=fromBody&USER_ID%5B%5D=1&USER_ID%5B%5D=2',
			{
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			},
		);
		expect(lastParams()).toEqual({ CALL_ID: 'fromBody', extra: 'q', USER_ID: ['1', '2'] });
	});

	it('reads multipart fields with brackets and digests file parts', async () => {
		const form = new FormData();
		form.append('CALL_ID', 'm1');
		form.append('USER_ID[]', '3');
		form.append('attachment', new Blob([Buffer.from('RIFF....')]), 'x.wav');
		await http.post(show(), form);
		const entry = sandbox.requests[sandbox.requests.length - 1];
		expect(entry.params).toEqual({ CALL_ID: 'm1', USER_ID: ['3'] });
		expect(entry.files).toEqual([
			expect.objectContaining({ field: 'attachment', filename: 'x.wav', size: 8 }),
		]);
	});

	it('accepts GET with query parameters', async () => {
		await http.get(`${show()}?CALL_ID=q&USER_ID=2`);
		expect(lastParams()).toEqual({ CALL_ID: 'q', USER_ID: '2' });
	});

	it('drops __proto__ keys from JSON bodies', async () => {
		await http.post(
			show(),
			'{"CALL_ID":"p","__proto__":{"polluted":1},"nested":{"constructor":{"prototype":{"z":1}}}}',
			{
				headers: { 'Content-Type': 'application/json' },
			},
		);
		expect(lastParams()).toEqual({ CALL_ID: 'p', nested: {} });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
