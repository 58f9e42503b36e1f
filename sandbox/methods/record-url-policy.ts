/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox portal is a Node server of its own, never loaded by n8n, and is not published */
/**
 * Bitrix24 cloud refuses a RECORD_URL whose host resolves to a non-public address (loopback,
 * private networks, link-local): "Record URL resolves to a non-public address and was blocked."
 * https://github.com/bitrix24/b24restdocs/blob/main/api-reference/telephony/telephony-external-call-attach-record.md
 * Older docs and the on-premise module source have no such check, so the sandbox applies it only
 * with `recordUrlPolicy: 'publicOnly'` (its own PBX fixtures live on 127.0.0.1).
 */
import { lookup } from 'dns/promises';
import { isIP } from 'net';

import { coreError } from '../errors';

export const NON_PUBLIC_RECORD_URL = 'Record URL resolves to a non-public address and was blocked.';

const PRIVATE_V4: Array<[string, number]> = [
	['0.0.0.0', 8],
	['10.0.0.0', 8],
	['100.64.0.0', 10],
	['127.0.0.0', 8],
	['169.254.0.0', 16],
	['172.16.0.0', 12],
	['192.168.0.0', 16],
];

function v4Number(address: string): number {
	return address.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function isNonPublicAddress(address: string): boolean {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
	const v4 = mapped ? mapped[1] : address;
	if (isIP(v4) === 4) {
		const value = v4Number(v4);
		return PRIVATE_V4.some(([network, bits]) => {
			const size = 2 ** (32 - bits);
			return Math.floor(value / size) === Math.floor(v4Number(network) / size);
		});
	}
	const lower = address.toLowerCase();
	return lower === '::1' || lower === '::' || /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower);
}

/** Throws the portal's error when the URL's host is not a public address (unresolvable: left to the download). */
export async function requirePublicRecordUrl(url: string): Promise<void> {
	let host: string;
	try {
		host = new URL(url).hostname.replace(/^\[|\]$/g, '');
	} catch {
		return;
	}
	const addresses = isIP(host)
		? [host]
		: await lookup(host, { all: true }).then(
				(found) => found.map((entry) => entry.address),
				() => [] as string[],
			);
	if (addresses.some(isNonPublicAddress)) throw coreError(NON_PUBLIC_RECORD_URL);
}
