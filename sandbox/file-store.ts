/**
 * Recordings the portal receives, stored like Disk stores them (docs/bitrix24-fidelity.md row 38):
 * one folder of call records per month of the call's start, the file under the name it was given.
 * Only size, SHA-256 and the first bytes are kept.
 */
import { createHash, Hash } from 'crypto';
import { coreError } from './errors';
import { recordFolder } from './record-checks';
import { nextId, PortalState, StoredFile } from './state';

/**
 * Disk's ObjectNameService::prepareName without `requireUniqueName` (Helper::saveFile calls
 * `$uploadFolder->uploadFile($fileArray, ['NAME' => …], $rights)` with `$generateUniqueName` left
 * false): "File with this name already exists." (DISK_OBJECT_NAME_SERVICE_ERROR_FILE_NON_UNIQUE_NAME,
 * bitrix24-core-corp `modules/disk/lib/internals/objectnameservice.php` and its English lang file).
 * vi_rest.php turns the Result errors into `RestException(implode('; ', …))`: HTTP 400, empty code.
 * Older Disk versions said "The object name is not unique." (DISK_FOLDER_MODEL_ERROR_NON_UNIQUE_NAME).
 */
export const NON_UNIQUE_NAME = 'File with this name already exists.';

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

	/** The first bytes, for sniffing the content type. */
	get firstBytes(): Buffer {
		return this.headBytes;
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
	/** CALL_START_DATE of the statistics row: picks the month folder. */
	callStartMs: number;
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
	const folder = recordFolder(recording.callStartMs);
	// ObjectNameService::isUniqueName filters `=NAME` in MySQL, whose default collation compares
	// case-insensitively.
	const taken = state.uploads.some(
		(stored) =>
			!stored.deleted &&
			stored.folder === folder &&
			stored.fileName.toLowerCase() === recording.fileName.toLowerCase(),
	);
	if (taken) throw coreError(NON_UNIQUE_NAME);
	const file: StoredFile = {
		id: nextId(state, 'file'),
		fileName: recording.fileName,
		...recording.digest.finish(),
		source: recording.source,
		sourceUrl: recording.sourceUrl ?? null,
		callId: recording.callId,
		storedAt: now,
		folder,
		deleted: false,
	};
	state.uploads.push(file);

	const previous = state.records.find((record) => record.callId === recording.callId);
	const replacedFileIds = previous ? [...previous.replacedFileIds, previous.fileId] : [];
	// Helper::attachRecord queues deleteFile(CALL_WEBDAV_ID) for the record being replaced.
	for (const old of state.uploads) if (old.id === previous?.fileId) old.deleted = true;
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

export { fileExtension } from './record-checks';

/** The module's own extension check (`in_array(GetFileExtension($fileName), ['wav', 'mp3'])`): case kept. */
export const RECORD_EXTENSIONS = ['wav', 'mp3'];
