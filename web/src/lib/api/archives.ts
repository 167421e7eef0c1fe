import { request } from './client';

/** Tracked ZIP exports, imports and R2 sync jobs (spec/API.md §3.10, §3.11, §5.5, §5.6). */

export type ArchiveJobState = 'queued' | 'running' | 'success' | 'error';

/** GalleryExportJobStatus (§3.10). */
export interface ExportJob {
	job_id: string;
	status: ArchiveJobState;
	stage: string;
	message: string;
	progress: number;
	filename: string | null;
	download_url: string | null;
	requested_count: number;
	processed_count: number;
	exported_count: number;
	missing_count: number;
	bytes_total: number;
	bytes_written: number;
	created_at: string;
	updated_at: string;
	error: string | null;
}

/** GallerySyncJobStatus (§3.11). */
export interface SyncJob {
	job_id: string;
	status: ArchiveJobState;
	stage: string;
	message: string;
	progress: number;
	created_at: string;
	updated_at: string;
	error: string | null;
	total_count: number;
	compared_count: number;
	uploaded_count: number;
	skipped_existing_count: number;
	missing_local_count: number;
	failed_count: number;
	bytes_total: number;
	bytes_uploaded: number;
}

/** POST /api/import answer. */
export interface ImportResult {
	status: string;
	imported: number;
}

export const isFinished = (status: ArchiveJobState) => status === 'success' || status === 'error';

const exportPath = (id: string) => `/api/gallery/export-jobs/${encodeURIComponent(id)}`;
const syncPath = (id: string) => `/api/gallery/sync-jobs/${encodeURIComponent(id)}`;

/** Without ids the whole gallery is exported (prefix gpt-images); with ids only those. */
export function createExport(ids?: string[]): Promise<ExportJob> {
	return request<ExportJob>('/api/gallery/export-jobs', {
		method: 'POST',
		body: ids ? { ids } : {}
	});
}

export function getExport(id: string): Promise<ExportJob> {
	return request<ExportJob>(exportPath(id));
}

export const exportEventsUrl = (id: string) => `${exportPath(id)}/events`;
export const exportDownloadUrl = (id: string) => `${exportPath(id)}/download`;

export function createSync(): Promise<SyncJob> {
	return request<SyncJob>('/api/gallery/sync-jobs', { method: 'POST' });
}

export function getSync(id: string): Promise<SyncJob> {
	return request<SyncJob>(syncPath(id));
}

export const syncEventsUrl = (id: string) => `${syncPath(id)}/events`;

/** The import upload goes through lib/transfer.ts (XMLHttpRequest, for upload progress). */
export const importPath = '/api/import';
export const importField = 'archive';
