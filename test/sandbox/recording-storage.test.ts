/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Recordings stored the way a portal stores them (docs/bitrix24-fidelity.md rows 38–40): a Disk
 * folder per month of the call's start, names unique in it, the module's case-sensitive extension
 * check, and CFile::CheckFile's content sniffing on base64 content and RECORD_URL downloads.
 */
import axios from 'axios';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { Sandbox, startSandbox } from '../../sandbox';

const client = axios.create({ validateStatus: () => true });
const MP3 = Buffer.alloc(4096, Buffer.from([0xff, 0xfb, 0x90, 0x64]));
const ID3_MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(200, 0)]);
const FLAC = Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(200, 1)]);
const HTML = Buffer.from('<!DOCTYPE html><html><body>Login required</body></html>');
const DUPLICATE = { error: '', error_description: 'File with this name already exists.' };

describe('recording storage', () => {
	let sandbox: Sandbox;
	let files: http.Server;
	let filesUrl: string;
	const call = (method: string, params: unknown) =>
		client.post(`${sandbox.webhookUrl}${method}.json`, params);
	const attach = (params: Record<string, unknown>) =>
		call('telephony.externalcall.attachrecord', params);
	const finishedCall = async (start = '2026-12-03T10:00:00+01:00') => {
		const registered = await call('telephony.externalcall.register', {
			USER_ID: 1,
			PHONE_NUMBER: '+4915112345678',
			TYPE: 2,
			CALL_START_DATE: start,
			EXTERNAL_CALL_ID: String(Math.random()),
		});
		const callId = registered.data.result.CALL_ID as string;
		await call('telephony.externalcall.finish', { CALL_ID: callId, USER_ID: 1, DURATION: 30 });
		return callId;
	};

	beforeAll(async () => {
		const bodies: Record<string, Buffer> = {
			'/r/call.mp3': MP3,
			'/r/login.mp3': HTML,
			'/r/take.flac': FLAC,
			'/r/voice.ogg': ID3_MP3,
			'/r/noext': MP3,
		};
		files = http.createServer((req, res) => res.writeHead(200).end(bodies[req.url ?? ''] ?? HTML));
		await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', () => resolve()));
		filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
	});
	afterAll(() => new Promise<void>((resolve) => files.close(() => resolve())));
	beforeEach(async () => {
		sandbox = await startSandbox();
	});
	afterEach(() => sandbox.close());

	describe('a Disk folder per month of the call start, names unique in it', () => {
		it('refuses a second file of the same name in the same month, whatever the call', async () => {
			const first = await finishedCall();
			const second = await finishedCall('2026-12-28T23:30:00+01:00');
			const content = MP3.toString('base64');
			const stored = await attach({
				CALL_ID: first,
				FILENAME: 'recording.mp3',
				FILE_CONTENT: content,
			});
			expect(stored.status).toBe(200);
			const clash = await attach({
				CALL_ID: second,
				FILENAME: 'recording.mp3',
				FILE_CONTENT: content,
			});
			expect(clash.status).toBe(400);
			expect(clash.data).toEqual(DUPLICATE);
			// MySQL's default collation: the comparison ignores case.
			const upper = await attach({
				CALL_ID: second,
				FILENAME: 'Recording.mp3',
				FILE_CONTENT: content,
			});
			expect(upper.data).toEqual(DUPLICATE);
			expect(sandbox.state.records.map((record) => record.callId)).toEqual([first]);
			expect(sandbox.state.uploads.map((file) => file.folder)).toEqual(['2026-12']);
		});

		it('takes the month from CALL_START_DATE in the portal timezone, not the attach time', async () => {
			const december = await finishedCall('2026-12-31T23:30:00+01:00');
			// 23:30 UTC on 31 December is already January in Berlin.
			const january = await finishedCall('2026-12-31T23:30:00+00:00');
			const content = MP3.toString('base64');
			await attach({ CALL_ID: december, FILENAME: 'cdr.mp3', FILE_CONTENT: content });
			const other = await attach({ CALL_ID: january, FILENAME: 'cdr.mp3', FILE_CONTENT: content });
			expect(other.status).toBe(200);
			expect(sandbox.state.uploads.map((file) => file.folder)).toEqual(['2026-12', '2027-01']);
		});

		it('a retry with the same name after a lost answer is refused and changes nothing', async () => {
			const callId = await finishedCall();
			const content = MP3.toString('base64');
			const first = await attach({
				CALL_ID: callId,
				FILENAME: 'CALL-1.mp3',
				FILE_CONTENT: content,
			});
			const retry = await attach({
				CALL_ID: callId,
				FILENAME: 'CALL-1.mp3',
				FILE_CONTENT: content,
			});
			expect(retry.data).toEqual(DUPLICATE);
			expect(sandbox.state.records).toEqual([
				expect.objectContaining({ callId, fileId: first.data.result.FILE_ID, replacedFileIds: [] }),
			]);
			expect(sandbox.state.statistics[0].recordFileId).toBe(first.data.result.FILE_ID);
		});

		it('a record replaced by a new name is deleted, so its name is free again', async () => {
			const callId = await finishedCall();
			const content = MP3.toString('base64');
			await attach({ CALL_ID: callId, FILENAME: 'a.mp3', FILE_CONTENT: content });
			await attach({ CALL_ID: callId, FILENAME: 'b.mp3', FILE_CONTENT: content });
			const again = await attach({ CALL_ID: callId, FILENAME: 'a.mp3', FILE_CONTENT: content });
			expect(again.status).toBe(200);
			expect(sandbox.state.uploads.map((file) => [file.fileName, file.deleted])).toEqual([
				['a.mp3', true],
				['b.mp3', true],
				['a.mp3', false],
			]);
		});

		it('the upload link path and RECORD_URL share the folder', async () => {
			const callId = await finishedCall();
			await attach({ CALL_ID: callId, RECORD_URL: `${filesUrl}/r/call.mp3` });
			const other = await finishedCall();
			const link = await attach({ CALL_ID: other, FILENAME: 'call.mp3' });
			const form = new FormData();
			form.append('file', new Blob([MP3]), 'call.mp3');
			const upload = await client.post(link.data.result.uploadUrl, form);
			expect(upload.data).toEqual(DUPLICATE);
		});
	});

	describe('the extension check keeps case', () => {
		it('REC.MP3 is refused inline and on the upload link; only mp3 and wav pass', async () => {
			const callId = await finishedCall();
			const wrong = {
				error: '',
				error_description: 'Wrong file extension. Only wav and mp3 are allowed',
			};
			for (const name of ['REC.MP3', 'rec.Wav', 'rec.flac'])
				expect(
					(await attach({ CALL_ID: callId, FILENAME: name, FILE_CONTENT: 'AAAA' })).data,
				).toEqual(wrong);
			const link = await attach({ CALL_ID: callId, FILENAME: 'x.mp3' });
			const form = new FormData();
			form.append('file', new Blob([MP3]), 'REC.MP3');
			expect((await client.post(link.data.result.uploadUrl, form)).data).toEqual(wrong);
			const lower = await attach({
				CALL_ID: callId,
				FILENAME: 'rec.mp3',
				FILE_CONTENT: MP3.toString('base64'),
			});
			expect(lower.status).toBe(200);
		});

		it('RECORD_URL has only CheckFile’s case-insensitive mp3/flac/wav check', async () => {
			const callId = await finishedCall();
			const upper = await attach({
				CALL_ID: callId,
				RECORD_URL: `${filesUrl}/r/call.mp3`,
				FILENAME: 'REC.MP3',
			});
			expect(upper.status).toBe(200);
			const flac = await attach({ CALL_ID: callId, RECORD_URL: `${filesUrl}/r/take.flac` });
			expect(flac.status).toBe(200);
			const ogg = await attach({ CALL_ID: callId, RECORD_URL: `${filesUrl}/r/voice.ogg` });
			expect(ogg.data).toEqual({ error: '', error_description: 'Invalid file type (ogg)' });
			const bare = await attach({ CALL_ID: callId, RECORD_URL: `${filesUrl}/r/noext` });
			expect(bare.data).toEqual({ error: '', error_description: 'Invalid file type' });
			expect(sandbox.state.uploads.map((file) => file.fileName)).toEqual(['REC.MP3', 'take.flac']);
		});
	});

	describe('the content must be audio, sniffed from the bytes', () => {
		it('an HTML page served with 200 is refused with the portal’s words', async () => {
			const callId = await finishedCall();
			const response = await attach({ CALL_ID: callId, RECORD_URL: `${filesUrl}/r/login.mp3` });
			expect(response.status).toBe(400);
			expect(response.data).toEqual({ error: '', error_description: 'Invalid file type' });
			expect(sandbox.state.records).toEqual([]);
		});

		it('base64 content is sniffed too: MPEG frames and ID3 pass, HTML and zeros do not', async () => {
			const callId = await finishedCall();
			const send = (name: string, bytes: Buffer) =>
				attach({ CALL_ID: callId, FILENAME: name, FILE_CONTENT: bytes.toString('base64') });
			expect((await send('a.mp3', MP3)).status).toBe(200);
			expect((await send('b.mp3', ID3_MP3)).status).toBe(200);
			expect((await send('c.mp3', HTML)).data.error_description).toBe('Invalid file type');
			expect((await send('d.wav', Buffer.alloc(64, 0))).data.error_description).toBe(
				'Invalid file type',
			);
		});

		it('the upload link path does not sniff (Helper::uploadRecord skips CheckFile)', async () => {
			const callId = await finishedCall();
			const link = await attach({ CALL_ID: callId, FILENAME: 'x.mp3' });
			const form = new FormData();
			form.append('file', new Blob([HTML]), 'page.mp3');
			const upload = await client.post(link.data.result.uploadUrl, form);
			expect(upload.data.result).toEqual({ FILE_ID: expect.any(Number) });
		});
	});
});
