import { createSync, getSync, syncEventsUrl, type SyncJob } from '$lib/api/archives';
import { ApiError } from '$lib/api/client';
import { t } from '$lib/i18n/index.svelte';
import { formatBytes } from '$lib/transfer';
import { followJob, transfers } from './galleryTransfers.svelte';
import { toasts } from './toasts.svelte';

/**
 * "Gallery Sync": uploads the local images missing from the R2 bucket
 * (POST /api/gallery/sync-jobs, progress over SSE `event: sync`, spec/API.md §3.11,
 * §5.6). A refused start (400 settings, 404 empty gallery, 429 already running)
 * shows the server's detail on the card and in a toast.
 */
export async function startSync(): Promise<void> {
	if (transfers.busy('sync')) return;
	const key = transfers.add('sync');
	try {
		const created = await createSync();
		transfers.update(key, { phase: 'server', syncJob: created });
		const job = await followJob<SyncJob>(
			syncEventsUrl(created.job_id),
			'sync',
			() => getSync(created.job_id),
			(update) => transfers.update(key, { syncJob: update })
		);
		if (job.status === 'success') {
			transfers.update(key, { phase: 'done' });
			toasts.success(
				t('gallery.syncDone', {
					uploaded: job.uploaded_count,
					skipped: job.skipped_existing_count,
					failed: job.failed_count,
					bytes: formatBytes(job.bytes_uploaded)
				})
			);
		} else {
			const detail = job.error || job.message;
			transfers.update(key, { phase: 'error', error: detail, status: null });
			toasts.error(t('gallery.syncFailed', { detail }));
		}
	} catch (err) {
		transfers.fail(key, err);
		const item = transfers.get(key);
		if (item?.error && !(err instanceof ApiError && err.status === 401)) {
			toasts.error(t('gallery.syncFailed', { detail: item.error }));
		}
	}
}
