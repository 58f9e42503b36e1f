/**
 * Streaming multipart/form-data parser. Parts are handed over chunk by chunk so that a 100 MB
 * recording upload is digested without being held in memory.
 */

export interface PartHeaders {
	name: string;
	filename: string | null;
	contentType: string | null;
}

export interface PartSink {
	start(headers: PartHeaders): void;
	data(chunk: Buffer): void;
	end(): void;
}

type Phase = 'preamble' | 'afterBoundary' | 'headers' | 'body' | 'done';

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/** The boundary parameter of a multipart Content-Type, or null. */
export function multipartBoundary(contentType: string | undefined): string | null {
	if (!contentType || !/^multipart\/form-data/i.test(contentType)) return null;
	const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : null;
}

export class MultipartParser {
	/** "\r\n--boundary"; the body is fed with a leading CRLF so the first boundary matches too. */
	private readonly delimiter: Buffer;
	private buffer: Buffer = Buffer.from('\r\n');
	private phase: Phase = 'preamble';

	constructor(
		boundary: string,
		private readonly sink: PartSink,
	) {
		this.delimiter = Buffer.from(`\r\n--${boundary}`);
	}

	write(chunk: Buffer): void {
		if (this.phase === 'done') return;
		this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
		let progressed = true;
		while (progressed) progressed = this.step();
	}

	/** One parsing step; false when more input is needed. */
	private step(): boolean {
		switch (this.phase) {
			case 'preamble': {
				const at = this.buffer.indexOf(this.delimiter);
				if (at === -1) {
					this.keepTail();
					return false;
				}
				this.buffer = this.buffer.subarray(at + this.delimiter.length);
				this.phase = 'afterBoundary';
				return true;
			}
			case 'afterBoundary': {
				if (this.buffer.length < 2) return false;
				if (this.buffer.subarray(0, 2).toString() === '--') {
					this.phase = 'done';
					return false;
				}
				const lineEnd = this.buffer.indexOf('\r\n');
				if (lineEnd === -1) return false;
				this.buffer = this.buffer.subarray(lineEnd + 2);
				this.phase = 'headers';
				return true;
			}
			case 'headers': {
				const end = this.buffer.indexOf(CRLF_CRLF);
				if (end === -1) {
					// A part without headers starts directly with the blank line.
					if (this.buffer.subarray(0, 2).toString() !== '\r\n') return false;
					this.sink.start(parseHeaders(''));
					this.buffer = this.buffer.subarray(2);
				} else {
					this.sink.start(parseHeaders(this.buffer.subarray(0, end).toString('utf8')));
					this.buffer = this.buffer.subarray(end + 4);
				}
				this.phase = 'body';
				return true;
			}
			case 'body': {
				const at = this.buffer.indexOf(this.delimiter);
				if (at === -1) {
					const safe = this.buffer.length - (this.delimiter.length - 1);
					if (safe > 0) {
						this.sink.data(this.buffer.subarray(0, safe));
						this.buffer = this.buffer.subarray(safe);
					}
					return false;
				}
				if (at > 0) this.sink.data(this.buffer.subarray(0, at));
				this.sink.end();
				this.buffer = this.buffer.subarray(at + this.delimiter.length);
				this.phase = 'afterBoundary';
				return true;
			}
			default:
				return false;
		}
	}

	private keepTail(): void {
		const keep = this.delimiter.length - 1;
		if (this.buffer.length > keep) this.buffer = this.buffer.subarray(this.buffer.length - keep);
	}
}

function parseHeaders(block: string): PartHeaders {
	const headers: PartHeaders = { name: '', filename: null, contentType: null };
	for (const line of block.split('\r\n')) {
		const colon = line.indexOf(':');
		if (colon === -1) continue;
		const field = line.slice(0, colon).trim().toLowerCase();
		const value = line.slice(colon + 1).trim();
		if (field === 'content-type') headers.contentType = value;
		if (field === 'content-disposition') {
			headers.name = dispositionParam(value, 'name') ?? '';
			headers.filename = dispositionParam(value, 'filename');
		}
	}
	return headers;
}

function dispositionParam(disposition: string, param: string): string | null {
	const match = new RegExp(`(?:^|;)\\s*${param}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(
		disposition,
	);
	if (!match) return null;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2].trim();
}
