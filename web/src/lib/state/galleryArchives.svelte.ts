import {
	createExport,
	exportDownloadUrl,
	exportEventsUrl,
	getExport,
	importField,
	importPath,
	type ExportJob,
	type ImportResult
} from '$lib/api/archives';
import { batchDownloadPath } from '$lib/api/gallery';
import { t } from '$lib/i18n/index.svelte';
import { download, saveBlob, saveUrl, upload } from '$lib/transfer';
import { gallery } from './gallery.svelte';
import { followJob, transfers } from './galleryTransfers.svelte';
import { toasts } from './toasts.svelte';

/**
 * ZIP export (tracked job, spec/API.md §3.10), selection download (batch ZIP, §3.8)
 * and import (multipart upload, §3.10), each shown as a transfer card.
 */

/**
 * Archives up to this size are fetched by the page, which shows the transfer progress
 * from Content-Length and then saves the file. A larger one is handed to the browser's
 * own downloader, which shows its own progress and does not hold the file in memory.
 */
const IN_PAGE_LIMIT = 1024 * 1024 * 1024;

const count = (headers: Headers, name: string) => {
	const value = Number.parseInt(headers.get(`X-Gallery-${name}-Count`) ?? '', 10);
	return Number.isFinite(value) ? value : undefined;
};

/** Tells the user how a finished ZIP went, partial results included. */
function announce(filename: string, exported?: number, requested?: number, missing?: number): void {
	if (missing) {
		toasts.info(t('gallery.zipPartial', { filename, count: exported ?? 0, requested: requested ?? 0, missing }));
	} else {
		toasts.success(t('gallery.zipSaved', { filename, count: exported ?? requested ?? 0 }));
	}
}

/** Exports the whole gallery (or `ids`) through a tracked export job, then downloads it. */
export async function exportGallery(ids?: string[]): Promise<void> {
	const key = transfers.add('export');
	try {
		const created = await createExport(ids);
		transfers.update(key, { phase: 'server', exportJob: created });
		const job = await followJob<ExportJob>(
			exportEventsUrl(created.job_id),
			'export',
			() => getExport(created.job_id),
			(update) => transfers.update(key, { exportJob: update })
		);
		if (job.status !== 'success') {
			transfers.update(key, { phase: 'error', error: job.error || job.message, status: null });
			toasts.error(t('gallery.exportFailed', { detail: job.error || job.message }));
			return;
		}
		const name = job.filename || 'gpt-images.zip';
		const summary = { requested: job.requested_count, exported: job.exported_count, missing: job.missing_count, filename: name };
		if (job.bytes_total > IN_PAGE_LIMIT) {
			saveUrl(job.download_url || exportDownloadUrl(job.job_id));
			transfers.update(key, { phase: 'done', summary: { ...summary, handedOff: true } });
			return;
		}
		transfers.update(key, { phase: 'downloading', loaded: 0, total: job.bytes_total || null });
		const file = await download(job.download_url || exportDownloadUrl(job.job_id), {}, name, (loaded, total) =>
			transfers.progress(key, loaded, total)
		);
		saveBlob(file.blob, file.filename);
		const final = {
			requested: count(file.headers, 'Requested') ?? summary.requested,
			exported: count(file.headers, 'Exported') ?? summary.exported,
			missing: count(file.headers, 'Missing') ?? summary.missing,
			filename: file.filename
		};
		transfers.update(key, { phase: 'done', summary: final });
		announce(final.filename, final.exported, final.requested, final.missing);
	} catch (err) {
		transfers.fail(key, err);
		const item = transfers.get(key);
		if (item?.error && item.status !== 401) toasts.error(t('gallery.exportFailed', { detail: item.error }));
	}
}

/** Downloads the selected images as one ZIP (POST /api/gallery/batch/download). */
export async function downloadSelection(ids: string[]): Promise<void> {
	if (ids.length === 0) return;
	const key = transfers.add('download');
	try {
		const init: RequestInit = {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Accept: 'application/zip, application/json' },
			body: JSON.stringify({ ids })
		};
		const file = await download(batchDownloadPath, init, 'gpt-images-selected.zip', (loaded, total) =>
			transfers.progress(key, loaded, total, 'downloading')
		);
		saveBlob(file.blob, file.filename);
		const summary = {
			requested: count(file.headers, 'Requested') ?? ids.length,
			exported: count(file.headers, 'Exported'),
			missing: count(file.headers, 'Missing') ?? 0,
			filename: file.filename
		};
		transfers.update(key, { phase: 'done', summary });
		announce(file.filename, summary.exported, summary.requested, summary.missing);
	} catch (err) {
		transfers.fail(key, err);
		const item = transfers.get(key);
		if (item?.error && item.status !== 401) toasts.error(t('gallery.downloadFailed', { detail: item.error }));
	}
}

/** Uploads a ZIP to /api/import with upload progress; refreshes the gallery after. */
export async function importArchive(file: File): Promise<void> {
	const key = transfers.add('import');
	transfers.update(key, { phase: 'uploading', loaded: 0, total: file.size, summary: { filename: file.name } });
	const form = new FormData();
	form.append(importField, file, file.name);
	try {
		const result = await upload<ImportResult>(importPath, form, (loaded, total) => {
			const done = total !== null && loaded >= total;
			transfers.progress(key, loaded, total, done ? 'processing' : 'uploading');
		});
		transfers.update(key, { phase: 'done', summary: { filename: file.name, imported: result.imported } });
		toasts.success(t('gallery.imported', { count: result.imported }));
		await gallery.refresh();
	} catch (err) {
		transfers.fail(key, err);
		const item = transfers.get(key);
		if (item?.error && item.status !== 401) toasts.error(t('gallery.importFailed', { detail: item.error }));
	}
}
