/**
 * An HTTP answer computed by the sandbox before it is (or, for faults, is not) written.
 */

export interface Reply {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** What the request log records: parsed JSON or the raw text. */
	logged: unknown;
}

export function jsonReply(
	status: number,
	data: unknown,
	headers: Record<string, string> = {},
): Reply {
	return {
		status,
		headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
		body: JSON.stringify(data),
		logged: data,
	};
}

function htmlReply(status: number, html: string): Reply {
	return {
		status,
		headers: { 'Content-Type': 'text/html; charset=utf-8' },
		body: html,
		logged: html,
	};
}

export function redirectReply(location: string): Reply {
	const html = `<html><head><title>302 Found</title></head><body><h1>Found</h1><p>Moved to <a href="${location}">${location}</a></p></body></html>`;
	return {
		status: 302,
		headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' },
		body: html,
		logged: html,
	};
}

export function rawReply(
	status: number,
	body: string,
	headers: Record<string, string> = {},
): Reply {
	let logged: unknown = body;
	try {
		logged = JSON.parse(body);
	} catch {
		// not JSON: the log keeps the text
	}
	return { status, headers, body, logged };
}

/** What a wrong host or path gets from a real portal: an HTML page, not JSON. */
export function notFoundPage(): Reply {
	return htmlReply(
		404,
		'<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>',
	);
}

export function maintenancePage(): Reply {
	return htmlReply(
		502,
		'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bitrix24 is temporarily unavailable</h1><p>Maintenance in progress. Please try again later.</p></body></html>',
	);
}

export function payloadTooLarge(): Reply {
	return htmlReply(
		413,
		'<html><head><title>413 Request Entity Too Large</title></head><body><h1>413 Request Entity Too Large</h1></body></html>',
	);
}
