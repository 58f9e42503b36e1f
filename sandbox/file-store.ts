/**
 * Recordings the portal receives. Only size, SHA-256 and the first bytes are kept.
 */
import { createHash, Hash } from 'crypto';
import { nextId, PortalState, StoredFile } from './state';

const HEAD_BYTES = 64;

/** Incremental digest of a file that is streamed in. */
export class FileDigest {
	private readonly hash: Hash = createHash('sha256');
	private headBytes: Buffer = Buffer.alloc(0);
	private summary: { size: number; sha256: string; head: string } | null = null;
	size = 0;

	update(chunk: Buffer): void {
		this.hash.update(chunk);
		this.size += chunk.length;
		if (this.headBytes.length < HEAD_BYTES) {
			this.headBytes = Buffer.concat([
				this.headBytes,
				chunk.subarray(0, HEAD_BYTES - this.headBytes.length),
			]);
		}
	}

	/** The final digest; may be called more than once. */
	finish(): { size: number; sha256: string; head: string } {
		this.summary ??= {
			size: this.size,
			sha256: this.hash.digest('hex'),
			head: this.headBytes.toString('base64'),
		};
		return this.summary;
	}
}

export interface NewRecording {
	callId: string;
	fileName: string;
	digest: FileDigest;
	source: StoredFile['source'];
	sourceUrl?: string;
}

/**
 * Saves the file and attaches it to the finished call and its CRM activity, replacing the
 * previous record. Returns the FILE_ID.
 */
export function attachRecording(state: PortalState, now: number, recording: NewRecording): number {
	const file: StoredFile = {
		id: nextId(state, 'file'),
		fileName: recording.fileName,
		...recording.digest.finish(),
		source: recording.source,
		sourceUrl: recording.sourceUrl ?? null,
		callId: recording.callId,
		storedAt: now,
	};
	state.uploads.push(file);

	const previous = state.records.find((record) => record.callId === recording.callId);
	const replacedFileIds = previous ? [...previous.replacedFileIds, previous.fileId] : [];
	state.records = state.records.filter((record) => record.callId !== recording.callId);
	state.records.push({
		callId: recording.callId,
		fileId: file.id,
		fileName: file.fileName,
		source: file.source,
		attachedAt: now,
		replacedFileIds,
	});

	const statistic = state.statistics.find((row) => row.callId === recording.callId);
	if (statistic) {
		statistic.recordFileId = file.id;
		const activity = state.activities.find((row) => row.id === statistic.crmActivityId);
		if (activity) activity.recordFileIds = [file.id];
	}
	return file.id;
}

/** GetFileExtension(): text after the last dot of the base name, case kept ("A.MP3" -> "MP3"). */
export function fileExtension(path: string): string {
	const base = path.split(/[\\/]/).pop() ?? '';
	const dot = base.lastIndexOf('.');
	return dot === -1 ? '' : base.slice(dot + 1);
}

export const RECORD_EXTENSIONS = ['wav', 'mp3'];
