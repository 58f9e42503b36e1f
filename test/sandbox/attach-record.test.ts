/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * The sandbox's attachRecord in its three ways (inline content, the upload link, a RECORD_URL).
 * One file over 250 lines: the three share one portal and one finished call per case.
 */
import axios from 'axios';
import { createHash } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });
/** A RIFF/WAVE header and some samples: what CFile::CheckFile's content sniffing calls audio. */
const WAV = Buffer.concat([
	Buffer.from('RIFF'),
	Buffer.from([56, 0, 0, 0]),
	Buffer.from('WAVEfmt '),
	Buffer.alloc(48, 7),
]);

describe('recordings and transcriptions', () => {
	let sandbox: Sandbox;
	let files: http.Server;
	let filesUrl: string;
	const call = (method: string, params: unknown) =>
		client.post(`${sandbox.webhookUrl}${method}.json`, params);

	const finishedCall = async () => {
		const registered = await call('telephony.externalcall.register', {
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			EXTERNAL_CALL_ID: String(Math.random()),
		});
		const callId = registered.data.result.CALL_ID as string;
		await call('telephony.externalcall.finish', { CALL_ID: callId, USER_ID: 1, DURATION: 30 });
		return callId;
	};

	beforeAll(async () => {
		files = http.createServer((req, res) => {
			if (req.url === '/rec/call.mp3') res.writeHead(200).end(WAV);
			else if (req.url === '/moved.wav') res.writeHead(302, { Location: '/rec/call.mp3' }).end();
			else res.writeHead(404).end('missing');
		});
		await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', () => resolve()));
		filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));
	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	describe('telephony.externalcall.attachrecord', () => {
		it('requires RECORD_URL or FILENAME before anything else', async () => {
			const response = await call('telephony.externalcall.attachrecord', { CALL_ID: 'whatever' });
			expect(response.status).toBe(400);
			expect(response.data.error_description).toBe(
				'Required parameters are not set. Request should contain or URL or FILENAME parameter',
			);
		});

		it('only works after finish', async () => {
			const registered = await call('telephony.externalcall.register', {
				USER_ID: 1,
				PHONE_NUMBER: '+4915112345678',
				TYPE: 2,
			});
			for (const params of [
				{ RECORD_URL: `${filesUrl}/rec/call.mp3` },
				{ FILENAME: 'a.mp3' },
				{ FILENAME: 'a.mp3', FILE_CONTENT: 'AAAA' },
			]) {
				const response = await call('telephony.externalcall.attachrecord', {
					CALL_ID: registered.data.result.CALL_ID,
					...params,
				});
				expect(response.data.error_description).toBe(
					'Call is not found in the statistic table. Looks like it is not finished yet.',
				);
			}
		});

		it('downloads RECORD_URL (following redirects), named after FILENAME or the URL path', async () => {
			const callId = await finishedCall();
			const response = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				RECORD_URL: `${filesUrl}/moved.wav`,
			});
			expect(response.status).toBe(200);
			expect(response.data.result).toEqual({ FILE_ID: expect.any(Number) });
			expect(sandbox.state.uploads[0]).toMatchObject({
				id: response.data.result.FILE_ID,
				fileName: 'moved.wav',
				size: WAV.length,
				sha256: createHash('sha256').update(WAV).digest('hex'),
				source: 'url',
				callId,
			});
			const named = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				RECORD_URL: `${filesUrl}/rec/call.mp3`,
				FILENAME: 'x/rec.wav',
			});
			expect(sandbox.state.uploads[1].fileName).toBe('rec.wav');
			expect(sandbox.state.records).toEqual([
				expect.objectContaining({
					callId,
					fileId: named.data.result.FILE_ID,
					replacedFileIds: [response.data.result.FILE_ID],
				}),
			]);
			expect(sandbox.state.statistics[0].recordFileId).toBe(named.data.result.FILE_ID);
			expect(sandbox.state.activities[0].recordFileIds).toEqual([named.data.result.FILE_ID]);
		});

		it('reports HTTP and network failures of RECORD_URL', async () => {
			const callId = await finishedCall();
			const missing = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				RECORD_URL: `${filesUrl}/nothing.mp3`,
			});
			expect(missing.data).toEqual({
				error: '',
				error_description: 'Server returns HTTP error code 404',
			});
			const refused = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				RECORD_URL: 'http://127.0.0.1:1/x.mp3',
			});
			expect(refused.data.error_description).toMatch(/^ECONNREFUSED: /);
		});

		it('decodes base64 FILE_CONTENT with the exact error texts', async () => {
			const callId = await finishedCall();
			const attach = (params: Record<string, unknown>) =>
				call('telephony.externalcall.attachrecord', { CALL_ID: callId, ...params });
			expect((await attach({ FILENAME: '', FILE_CONTENT: 'AAAA' })).data.error_description).toBe(
				'File name is empty',
			);
			expect(
				(await attach({ FILENAME: 'rec.ogg', FILE_CONTENT: 'AAAA' })).data.error_description,
			).toBe('Wrong file extension. Only wav and mp3 are allowed');
			expect(
				(await attach({ FILENAME: 'REC.MP3', FILE_CONTENT: 'AAAA' })).data.error_description,
			).toBe('Wrong file extension. Only wav and mp3 are allowed');
			expect((await attach({ FILENAME: 'rec.mp3', FILE_CONTENT: '' })).data.error_description).toBe(
				'File content is empty.',
			);
			expect(
				(await attach({ FILENAME: 'rec.mp3', FILE_CONTENT: 'false' })).data.error_description,
			).toBe('File content is empty.');
			expect(
				(await attach({ FILENAME: 'rec.mp3', FILE_CONTENT: '!!!!' })).data.error_description,
			).toBe('File content is not properly encoded. Base64 encoding is expected.');
			const stored = await attach({ FILENAME: 'rec.wav', FILE_CONTENT: WAV.toString('base64') });
			expect(stored.data.result).toEqual({ FILE_ID: expect.any(Number) });
			expect(sandbox.state.uploads.at(-1)).toMatchObject({
				fileName: 'rec.wav',
				size: WAV.length,
				source: 'base64',
				head: WAV.toString('base64'),
			});
		});

		it('hands out a signed upload link and accepts the multipart upload in field "file"', async () => {
			const callId = await finishedCall();
			const response = await call('telephony.externalcall.attachrecord', {
				CALL_ID: callId,
				FILENAME: 'rec.mp3',
			});
			expect(response.data.result).toEqual({
				uploadUrl: expect.stringContaining(`${sandbox.url}/rest/1/`),
				fieldName: 'file',
			});
			const uploadUrl = response.data.result.uploadUrl as string;
			expect(uploadUrl).toMatch(/\/upload\/\?token=telephony%7C/);

			const form = new FormData();
			form.append('file', new Blob([WAV]), 'upload.mp3');
			const uploaded = await client.post(uploadUrl, form);
			expect(uploaded.status).toBe(200);
			expect(uploaded.data).toEqual({ result: { FILE_ID: expect.any(Number) } });
			expect(sandbox.state.uploads.at(-1)).toMatchObject({
				fileName: 'upload.mp3',
				size: WAV.length,
				source: 'upload',
				callId,
			});
			expect(sandbox.requests.at(-1)).toMatchObject({
				restMethod: 'upload',
				auth: 'webhook',
				files: [expect.objectContaining({ field: 'file', size: WAV.length })],
			});

			const wrongType = new FormData();
			wrongType.append('file', new Blob([WAV]), 'upload.ogg');
			expect((await client.post(uploadUrl, wrongType)).data.error_description).toBe(
				'Wrong file extension. Only wav and mp3 are allowed',
			);
			const noFile = new FormData();
			noFile.append('other', 'x');
			expect((await client.post(uploadUrl, noFile)).data.error_description).toBe(
				'Error: required parameter file is not found',
			);
		});

		it('rejects forged or foreign upload links', async () => {
			const callId = await finishedCall();
			const { uploadUrl } = (
				await call('telephony.externalcall.attachrecord', { CALL_ID: callId, FILENAME: 'rec.mp3' })
			).data.result;
			const form = () => {
				const data = new FormData();
				data.append('file', new Blob([WAV]), 'a.mp3');
				return data;
			};
			const forged = (uploadUrl as string).replace(
				/token=([^&]+)/,
				(_m, token: string) => `token=${token.slice(0, -4)}abcd`,
			);
			const denied = await client.post(forged, form());
			expect(denied.status).toBe(403);
			expect(denied.data).toEqual({
				error: 'ACCESS_DENIED',
				error_description: 'Access denied! Link check failed',
			});
			const otherWebhook = sandbox.addWebhook({ userId: 2, code: 'other' });
			const foreign = (uploadUrl as string).replace(sandbox.webhookUrl, otherWebhook);
			expect((await client.post(foreign, form())).status).toBe(403);
			expect(
				(await client.post(`${sandbox.webhookUrl}upload/?token=crm%7Cxx%7Cyy`, form())).data.error,
			).toBe('ERROR_METHOD_NOT_FOUND');
		});

		it('streams a 100 MB upload without keeping it', async () => {
			const callId = await finishedCall();
			const { uploadUrl } = (
				await call('telephony.externalcall.attachrecord', { CALL_ID: callId, FILENAME: 'big.wav' })
			).data.result;
			const chunk = Buffer.alloc(1024 * 1024, 0x5a);
			const chunks = 100;
			const boundary = 'sandboxboundary42';
			const head = Buffer.from(
				`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
			);
			const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
			const expectedHash = createHash('sha256');
			for (let i = 0; i < chunks; i++) expectedHash.update(chunk);

			const status = await new Promise<number>((resolve, reject) => {
				const request = http.request(uploadUrl as string, {
					method: 'POST',
					headers: {
						'Content-Type': `multipart/form-data; boundary=${boundary}`,
						'Content-Length': head.length + tail.length + chunk.length * chunks,
					},
				});
				request.on('response', (response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
				});
				request.on('error', reject);
				request.write(head);
				let sent = 0;
				const pump = () => {
					while (sent < chunks) {
						sent++;
						if (!request.write(chunk)) return void request.once('drain', pump);
					}
					request.end(tail);
				};
				pump();
			});
			expect(status).toBe(200);
			expect(sandbox.state.uploads.at(-1)).toMatchObject({
				size: chunk.length * chunks,
				sha256: expectedHash.digest('hex'),
			});
		});
	});

	describe('telephony.call.attachtranscription', () => {
		const messages = [
			{ SIDE: 'User', START_TIME: 0, STOP_TIME: 3, MESSAGE: 'Hello' },
			{ SIDE: 'Client', START_TIME: 3, STOP_TIME: 5, MESSAGE: 'Hi' },
		];

		it('attaches to finished calls and returns TRANSCRIPT_ID', async () => {
			const callId = await finishedCall();
			const response = await call('telephony.call.attachtranscription', {
				CALL_ID: callId,
				MESSAGES: messages,
				COST: 0.5,
				COST_CURRENCY: 'EUR',
			});
			expect(response.data.result).toEqual({ TRANSCRIPT_ID: 1 });
			expect(sandbox.state.transcripts[0]).toMatchObject({
				callId,
				cost: 0.5,
				costCurrency: 'EUR',
				messages,
			});
			expect(sandbox.state.statistics[0].transcriptId).toBe(1);
		});

		it('validates MESSAGES before looking up the call', async () => {
			const attach = async (params: Record<string, unknown>) =>
				(await call('telephony.call.attachtranscription', params)).data.error_description;
			expect(await attach({ MESSAGES: messages })).toBe('CALL_ID should be set');
			expect(await attach({ CALL_ID: 'x', MESSAGES: 'text' })).toBe('MESSAGES should be an array');
			expect(await attach({ CALL_ID: 'x', MESSAGES: [{ ...messages[0], SIDE: 'client' }] })).toBe(
				'MESSAGES[0][SIDE] should be either Client or User',
			);
			expect(
				await attach({ CALL_ID: 'x', MESSAGES: [messages[0], { ...messages[1], START_TIME: -1 }] }),
			).toBe('MESSAGES[1][START_TIME] should be greater or equal to zero');
			expect(await attach({ CALL_ID: 'x', MESSAGES: [{ ...messages[0], STOP_TIME: 0 }] })).toBe(
				'MESSAGES[0][STOP_TIME] should be greater than zero',
			);
			expect(await attach({ CALL_ID: 'x', MESSAGES: [{ ...messages[0], MESSAGE: '' }] })).toBe(
				'MESSAGES[0][MESSAGE] is empty',
			);
			expect(await attach({ CALL_ID: 'x', MESSAGES: messages })).toBe(
				'Call x is not found. Is it finished?',
			);
		});
	});
});
