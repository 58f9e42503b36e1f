/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
/**
 * Recordings as a real portal stores them (issue 23 §1, docs/bitrix24-fidelity.md rows 38–40 and
 * 50–52): one Disk folder per month, names unique in it, the extension's case kept, the bytes
 * sniffed. Attach Record and Log Completed Call against the sandbox that enforces all three.
 */
import http from 'http';
import type { AddressInfo } from 'net';

import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

/** An MPEG audio frame header, repeated to the wanted size. */
const mp3 = (bytes = 4096) =>
	Buffer.alloc(bytes, Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]));
const LOGIN_PAGE = Buffer.from('<!DOCTYPE html><html><body>Please log in</body></html>');

let server: http.Server;
let base: string;
beforeAll(async () => {
	server = http.createServer((req, res) => {
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		// A PBX whose session expired answers its login page with 200, under the recording's name.
		if (path === '/monitor/expired.mp3') res.writeHead(200, { 'Content-Type': 'audio/mpeg' });
		res.end(path === '/monitor/expired.mp3' ? LOGIN_PAGE : mp3());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
	portal().clearRequests();
	portal().configure({ faults: { next: [] } });
});

/** A finished call that started in November 2026 (so its records share one month's folder). */
async function finishedCall(id: string): Promise<string> {
	const callId = await steps.register({
		additionalFields: { externalCallId: id, callStartDate: '2026-11-20T10:00:00+01:00' },
	});
	await steps.finish(callId, { duration: 30, statusCode: '200' });
	portal().clearRequests();
	return callId;
}

const binary = (fileName: string, content: Buffer = mp3()) => ({
	binaries: { 0: { data: { base64: content.toString('base64'), fileName } } },
});

const attachBinary = (callId: string, fileName: string, content?: Buffer) =>
	steps.run(
		{ operation: 'attachRecord', callId, source: 'binary', binaryPropertyName: 'data' },
		binary(fileName, content),
	);

const storedName = (callId: string) => {
	const record = portal().state.records.find((r) => r.callId === callId);
	return portal().state.uploads.find((u) => u.id === record?.fileId)?.fileName;
};

describe('recordings: unique names, case, audio', () => {
	test('two recordings named the same in one month are both attached, each under its call', async () => {
		const first = await finishedCall('names-1');
		const second = await finishedCall('names-2');
		for (const callId of [first, second]) {
			const result = await attachBinary(callId, 'recording.mp3');
			expect(result.status).toBe('success');
			expect(result.items[0].json).toMatchObject({
				fileName: `${callId} recording.mp3`,
				alreadyAttached: false,
			});
		}
		expect(storedName(first)).toBe(`${first} recording.mp3`);
		expect(storedName(second)).toBe(`${second} recording.mp3`);
		// Both in November's folder, where a second "recording.mp3" would have been refused.
		const folders = [first, second].map(
			(callId) => portal().state.uploads.find((u) => u.callId === callId)?.folder,
		);
		expect(folders).toEqual(['2026-11', '2026-11']);
	});

	test('CALL-1.MP3 is attached: the extension goes in lower case', async () => {
		const callId = await finishedCall('names-upper');
		const result = await attachBinary(callId, 'CALL-1.MP3');
		expect(result.status).toBe('success');
		expect(portal().requests[0].params.FILENAME).toBe(`${callId} CALL-1.mp3`);
		expect(storedName(callId)).toBe(`${callId} CALL-1.mp3`);
	});

	test('binary data that is an HTML page is refused before any request, naming the item', async () => {
		const result = await attachBinary('externalCall.x.1', 'call.mp3', LOGIN_PAGE);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`'Input Binary Field' holds an HTML page ("call.mp3"), not an audio recording [item 0]`,
		);
		expect(restMethods(portal())).toEqual([]);
	});

	test("URL mode: an HTML page served with 200 is refused with Bitrix24's words", async () => {
		const callId = await finishedCall('names-html');
		const result = await steps.run({
			operation: 'attachRecord',
			callId,
			source: 'url',
			recordUrl: `${base}/monitor/expired.mp3`,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Bitrix24 refused the recording: its content is not MP3 or WAV audio (Bitrix24: "Invalid file type")',
		);
		expect(result.error?.description).toContain('error or login page');
		expect(portal().state.records.find((r) => r.callId === callId)).toBeUndefined();
	});

	test('URL mode: FILENAME comes from a query value when the path names no file', async () => {
		const callId = await finishedCall('names-query');
		const recordUrl = `${base}/download.php?file=%2Fmonitor%2F2026%2FREC-7.WAV`;
		const result = await steps.run({ operation: 'attachRecord', callId, source: 'url', recordUrl });
		expect(result.status).toBe('success');
		expect(portal().requests[0].params).toEqual({
			CALL_ID: callId,
			RECORD_URL: recordUrl,
			FILENAME: `${callId} REC-7.wav`,
		});
	});

	test('URL mode: a link that names no .mp3 or .wav needs File Name, before any request', async () => {
		const result = await steps.run({
			operation: 'attachRecord',
			callId: 'externalCall.x.1',
			source: 'url',
			recordUrl: `${base}/play?id=7`,
		});
		expect(result.error?.message).toBe(
			`'File Name' is empty, and the Record URL names no .mp3 or .wav file [item 0]`,
		);
		expect(restMethods(portal())).toEqual([]);
	});
});

describe('recordings: a retry after a lost answer attaches once and succeeds', () => {
	test('one attach whose answer was lost: resent, "already exists" for its own name is success', async () => {
		const callId = await finishedCall('lost-one');
		portal().configure({ faults: { next: ['dropConnection'] } });
		const result = await attachBinary(callId, 'lost.mp3');
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({
			callId,
			fileName: `${callId} lost.mp3`,
			alreadyAttached: true,
		});
		// Two requests, the first processed (its answer lost), the second refused as a duplicate.
		expect(portal().requests.map((r) => [r.restMethod, r.fault ?? r.status])).toEqual([
			['telephony.externalcall.attachrecord', 'dropConnection'],
			['telephony.externalcall.attachrecord', 400],
		]);
		expect(portal().state.uploads.filter((u) => u.callId === callId)).toHaveLength(1);
	});

	test('a batch of three whose answer was lost: every recording attached once, none failed', async () => {
		const callIds = [
			await finishedCall('lost-b1'),
			await finishedCall('lost-b2'),
			await finishedCall('lost-b3'),
		];
		portal().configure({ faults: { next: ['dropConnection'] } });
		const result = await steps.run(
			{
				operation: 'attachRecord',
				callId: '={{ $json.callId }}',
				source: 'binary',
				binaryPropertyName: 'data',
			},
			{
				items: callIds.map((callId) => ({ callId })),
				binaries: Object.fromEntries(
					callIds.map((_, i) => [
						i,
						{ data: { base64: mp3().toString('base64'), fileName: 'same.mp3' } },
					]),
				),
			},
		);
		expect(result.status).toBe('success');
		expect(result.items.map((i) => [i.pairedItem, i.json.alreadyAttached])).toEqual([
			[{ item: 0 }, true],
			[{ item: 1 }, true],
			[{ item: 2 }, true],
		]);
		for (const callId of callIds)
			expect(portal().state.uploads.filter((u) => u.callId === callId)).toHaveLength(1);
		// The lost batch; its resend, which Bitrix24 halts (halt=1) at the first "already exists";
		// then what that resend did not run, again, until each recording has its answer.
		expect(portal().requests.map((r) => [r.fault ?? 'ok', r.batchCommands?.length])).toEqual([
			['dropConnection', 3],
			['ok', 3],
			['ok', 2],
			['ok', 1],
		]);
	});
});

describe('Log Completed Call with a recording', () => {
	const cdr = {
		operation: 'logCompletedCall',
		userIdentification: 'extension',
		userPhoneInner: '102',
		phoneNumber: '={{ $json.phone }}',
		type: 2,
		duration: 61,
		statusCode: '200',
		binaryPropertyName: 'data',
		additionalFields: {
			callStartDate: '2026-11-21T09:30:00+01:00',
			externalCallId: '={{ $json.id }}',
		},
	};

	test('two rows whose recordings share a name are both logged with their recordings', async () => {
		const result = await steps.run(cdr, {
			items: [
				{ phone: '+4930111', id: 'lcc-name-1' },
				{ phone: '+4930222', id: 'lcc-name-2' },
			],
			binaries: {
				0: { data: { base64: mp3().toString('base64'), fileName: 'recording.MP3' } },
				1: { data: { base64: mp3().toString('base64'), fileName: 'recording.MP3' } },
			},
		});
		expect(result.status).toBe('success');
		expect(restMethods(portal())).toEqual(['batch']);
		for (const item of result.items) {
			const callId = String(item.json.CALL_ID);
			expect(item.json.record).toMatchObject({
				fileName: `${callId} recording.mp3`,
				alreadyAttached: false,
			});
			expect(storedName(callId)).toBe(`${callId} recording.mp3`);
		}
	});

	test('a recording that is not audio stops the row before register and finish', async () => {
		const result = await steps.run(cdr, {
			items: [{ phone: '+4930333', id: 'lcc-json' }],
			binaries: {
				0: {
					data: {
						base64: Buffer.from('{"error":"not found"}').toString('base64'),
						fileName: 'x.mp3',
					},
				},
			},
		});
		expect(result.error?.message).toBe(
			`'Recording Binary Field' holds JSON text ("x.mp3"), not an audio recording [item 0]`,
		);
		expect(restMethods(portal())).toEqual([]);
	});
});
