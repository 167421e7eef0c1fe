import { ApiError } from '$lib/api/client';
import { batchDelete, deleteAll, deleteEntry, MAX_BATCH } from '$lib/api/gallery';
import { t } from '$lib/i18n/index.svelte';
import { gallery, report } from './gallery.svelte';
import { galleryConfirm } from './galleryConfirm.svelte';
import { toasts } from './toasts.svelte';

export const UNDO_MS = 5000;

export interface PendingDelete {
	key: number;
	ids: string[];
	/** Clock (ms) when the DELETE goes out. */
	deadline: number;
}

/**
 * Deletes with a 5-second undo. Nothing is sent during the window: the images are
 * only hidden, and the DELETE goes out when the window closes. Undo (or closing
 * the tab before then) therefore never loses anything; there is nothing to
 * re-create. One id uses DELETE /api/gallery/<id>, several the batch endpoint
 * with its partial-success counts (spec/API.md §3.8).
 */
class GalleryDeletes {
	pending = $state<PendingDelete[]>([]);
	#timers = new Map<number, ReturnType<typeof setTimeout>>();
	#nextKey = 1;

	/** Asks first, then schedules; resolves with the pending delete, or null when cancelled. */
	async confirm(ids: string[]): Promise<PendingDelete | null> {
		if (ids.length === 0) return null;
		const one = ids.length === 1;
		const yes = await galleryConfirm.ask({
			title: one ? t('gallery.deleteOneTitle') : t('gallery.deleteTitle', { count: ids.length }),
			body: t(one ? 'gallery.deleteOneBody' : 'gallery.deleteBody', { count: ids.length, seconds: UNDO_MS / 1000 }),
			confirmLabel: t('gallery.deleteYes')
		});
		return yes ? this.schedule(ids) : null;
	}

	schedule(ids: string[]): PendingDelete | null {
		const fresh = ids.filter((id) => !gallery.hidden.has(id));
		if (fresh.length === 0) return null;
		const item: PendingDelete = { key: this.#nextKey++, ids: fresh, deadline: Date.now() + UNDO_MS };
		gallery.hide(fresh);
		this.pending = [...this.pending, item];
		this.#timers.set(item.key, setTimeout(() => void this.#commit(item.key), UNDO_MS));
		return item;
	}

	undo(key: number): void {
		const item = this.#take(key);
		if (!item) return;
		gallery.unhide(item.ids);
		toasts.info(t('gallery.undone', { count: item.ids.length }));
	}

	/** Sends a pending delete at once (the undo bar's "delete now"). */
	flush(key: number): Promise<void> {
		return this.#commit(key);
	}

	async #commit(key: number): Promise<void> {
		const item = this.#take(key);
		if (!item) return;
		try {
			if (item.ids.length === 1) {
				await this.#deleteOne(item.ids[0]);
			} else {
				await this.#deleteMany(item.ids);
			}
		} catch (err) {
			report(err);
		}
		await gallery.refresh();
		gallery.unhide(item.ids);
	}

	async #deleteOne(id: string): Promise<void> {
		try {
			await deleteEntry(id);
			toasts.success(t('gallery.deleted', { count: 1 }));
		} catch (err) {
			if (err instanceof ApiError && err.status === 404) toasts.info(t('gallery.alreadyGone', { count: 1 }));
			else throw err;
		}
	}

	async #deleteMany(ids: string[]): Promise<void> {
		let deleted = 0;
		let missing = 0;
		for (let i = 0; i < ids.length; i += MAX_BATCH) {
			const chunk = ids.slice(i, i + MAX_BATCH);
			try {
				const result = await batchDelete(chunk);
				deleted += result.updated_count;
				missing += result.missing_count;
			} catch (err) {
				if (!(err instanceof ApiError && err.status === 404)) throw err;
				missing += chunk.length;
			}
		}
		if (missing === 0) toasts.success(t('gallery.deleted', { count: deleted }));
		else if (deleted === 0) toasts.info(t('gallery.alreadyGone', { count: missing }));
		else toasts.info(t('gallery.deletedPartial', { count: deleted, requested: ids.length, missing }));
	}

	#take(key: number): PendingDelete | null {
		const item = this.pending.find((p) => p.key === key) ?? null;
		const timer = this.#timers.get(key);
		if (timer !== undefined) clearTimeout(timer);
		this.#timers.delete(key);
		this.pending = this.pending.filter((p) => p.key !== key);
		return item;
	}

	/** "Delete all": no undo (the user typed DELETE to confirm), pending deletes included. */
	async deleteAll(): Promise<boolean> {
		for (const item of [...this.pending]) this.#take(item.key);
		try {
			const result = await deleteAll();
			toasts.success(result?.message ? t('gallery.deletedAllDetail', { detail: result.message }) : t('gallery.deletedAll'));
			return true;
		} catch (err) {
			report(err);
			return false;
		} finally {
			gallery.unhide([...gallery.hidden]);
			await gallery.refresh();
		}
	}
}

export const galleryDeletes = new GalleryDeletes();
