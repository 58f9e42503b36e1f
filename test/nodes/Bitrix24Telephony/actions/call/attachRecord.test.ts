/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Jest on Node, never inside n8n, and is not published */
import http from 'http';
import type { AddressInfo } from 'net';

import { callSteps } from '../../../../helpers/callSteps';
import { restMethods, usePortal } from '../../../../helpers/portal';

const { portal } = usePortal();
const steps = callSteps(portal);

/** A few bytes that look like an MP3 frame header, repeated to the wanted size. */
function fakeMp3(bytes: number): Buffer {
	const frame = Buffer.from([0xff, 0xfb, 0x90, 0x64, 0x00, 0x00, 0x00, 0x00]);
	return Buffer.alloc(bytes, frame);
}

let recordingServer: http.Server;
let recordingUrl: string;
beforeAll(async () => {
	recordingServer = http.createServer((req, res) => {
		if (req.url === '/rec.mp3') res.end(fakeMp3(4096));
		else res.writeHead(404).end('not found');
	});
	await new Promise<void>((resolve) => recordingServer.listen(0, '127.0.0.1', resolve));
	recordingUrl = `http://127.0.0.1:${(recordingServer.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => recordingServer.close(() => resolve())));

beforeEach(() => portal().clearRequests());

async function finishedCall(id: string): Promise<string> {
	const callId = await steps.register({ additionalFields: { externalCallId: id } });
	await steps.finish(callId, { duration: 30, statusCode: '200' });
	portal().clearRequests();
	return callId;
}

describe('Call → Attach Record', () => {
	test('a small binary goes inline as base64', async () => {
		const callId = await finishedCall('rec-small');
		const file = fakeMp3(10_000);
		const result = await steps.run(
			{ operation: 'attachRecord', callId, source: 'binary', binaryPropertyName: 'data' },
			{
				binaries: {
					0: {
						data: { base64: file.toString('base64'), fileName: 'call.mp3', mimeType: 'audio/mpeg' },
					},
				},
			},
		);
		expect(result.status).toBe('success');
		expect(result.items[0].json).toMatchObject({
			callId,
			fileName: `${callId} call.mp3`,
			sizeBytes: 10_000,
			uploadedVia: 'base64',
			alreadyAttached: false,
		});
		expect(typeof result.items[0].json.FILE_ID).toBe('number');
		expect(restMethods(portal())).toEqual(['telephony.externalcall.attachrecord']);
		const record = portal().state.records.find((r) => r.callId === callId);
		const stored = portal().state.uploads.find((u) => u.id === record?.fileId);
		expect(stored).toMatchObject({
			size: 10_000,
			source: 'base64',
			fileName: `${callId} call.mp3`,
		});
	});

	test('a large binary uses the two-step upload link, streamed as multipart field "file"', async () => {
		const callId = await finishedCall('rec-large');
		const file = fakeMp3(3 * 1024 * 1024 + 17);
		const result = await steps.run(
			{
				operation: 'attachRecord',
				callId,
				source: 'binary',
				binaryPropertyName: 'audio',
				fileName: 'long call.wav',
			},
			{
				binaries: {
					0: {
						audio: { base64: file.toString('base64'), fileName: 'x.bin', mimeType: 'audio/wav' },
					},
				},
			},
		);
		expect(result.status).toBe('success');
		const fileName = `${callId} long call.wav`;
		expect(result.items[0].json).toMatchObject({ callId, fileName, uploadedVia: 'uploadUrl' });
		expect(restMethods(portal())).toEqual(['telephony.externalcall.attachrecord', 'upload']);
		expect(portal().requests[0].params).toEqual({ CALL_ID: callId, FILENAME: fileName });
		expect(portal().requests[1].files).toEqual([
			expect.objectContaining({ field: 'file', filename: fileName, size: file.length }),
		]);
	});

	test('from a URL: Bitrix24 downloads it', async () => {
		const callId = await finishedCall('rec-url');
		const result = await steps.run({
			operation: 'attachRecord',
			callId,
			source: 'url',
			recordUrl: `${recordingUrl}/rec.mp3`,
		});
		expect(result.status).toBe('success');
		// FILENAME always sent, from the URL's path, unique per call.
		expect(portal().requests[0].params).toEqual({
			CALL_ID: callId,
			RECORD_URL: `${recordingUrl}/rec.mp3`,
			FILENAME: `${callId} rec.mp3`,
		});
		expect(portal().state.records.find((r) => r.callId === callId)?.source).toBe('url');
	});

	test("a URL that does not answer 200 gets Bitrix24's reason", async () => {
		const callId = await finishedCall('rec-url-404');
		const result = await steps.run({
			operation: 'attachRecord',
			callId,
			source: 'url',
			recordUrl: `${recordingUrl}/missing.mp3`,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Server returns HTTP error code 404');
	});

	test('a private address on a cloud portal: the error says to send the file instead', async () => {
		// Current cloud portals refuse RECORD_URLs that resolve to loopback or private networks.
		portal().configure({ recordUrlPolicy: 'publicOnly' });
		try {
			const callId = await finishedCall('rec-url-private');
			const result = await steps.run({
				operation: 'attachRecord',
				callId,
				source: 'url',
				recordUrl: `${recordingUrl}/rec.mp3`,
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toBe(
				'Bitrix24 will not download the recording from a private address (Bitrix24: "Record URL resolves to a non-public address and was blocked.")',
			);
			expect(String(result.error?.description)).toContain('"Binary File"');
			expect(portal().state.records.find((r) => r.callId === callId)).toBeUndefined();
		} finally {
			portal().configure({ recordUrlPolicy: 'any' });
		}
	});

	test('an unfinished call: the error says to finish it first', async () => {
		const callId = await steps.register({ additionalFields: { externalCallId: 'rec-unfinished' } });
		const result = await steps.run(
			{ operation: 'attachRecord', callId, source: 'binary' },
			{ binaries: { 0: { data: { base64: fakeMp3(100).toString('base64'), fileName: 'a.mp3' } } } },
		);
		expect(result.error?.message).toBe(
			'The call is not finished yet: finish it before attaching the recording (Bitrix24: "Call is not found in the statistic table. Looks like it is not finished yet.")',
		);
	});

	test.each([
		[
			'another extension',
			{ fileName: 'call.ogg' },
			{ data: { base64: 'AAAA', fileName: 'x.mp3' } },
			`'File Name' is "call.ogg", but Bitrix24 accepts only .mp3 and .wav`,
		],
		[
			'a binary file name with another extension',
			{},
			{ data: { base64: 'AAAA', fileName: 'voicemail.m4a' } },
			'accepts only .mp3 and .wav',
		],
		[
			'a missing binary property',
			{ binaryPropertyName: 'recording' },
			{ data: { base64: 'AAAA', fileName: 'x.mp3' } },
			`'Input Binary Field' names "recording", but the item has no binary data by that name`,
		],
	])('refuses %s before any request', async (_name, parameters, binary, message) => {
		const result = await steps.run(
			{ operation: 'attachRecord', callId: 'externalCall.x.1', source: 'binary', ...parameters },
			{ binaries: { 0: binary } },
		);
		expect(result.error?.message).toContain(message);
		expect(restMethods(portal())).toEqual([]);
	});

	test('refuses a URL that is not http(s)', async () => {
		const result = await steps.run({
			operation: 'attachRecord',
			callId: 'externalCall.x.1',
			source: 'url',
			recordUrl: 'ftp://pbx/rec.mp3',
		});
		expect(result.error?.message).toContain(
			`'Record URL' is "ftp://pbx/rec.mp3", which is not an http(s) URL`,
		);
		expect(restMethods(portal())).toEqual([]);
	});
});
