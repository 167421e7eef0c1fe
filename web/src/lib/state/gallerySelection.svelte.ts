import { ApiError } from '$lib/api/client';
import { batchFavorite, MAX_BATCH } from '$lib/api/gallery';
import { t } from '$lib/i18n/index.svelte';
import { gallery, report } from './gallery.svelte';
import { galleryDeletes } from './galleryDeletes.svelte';
import { toasts } from './toasts.svelte';

/**
 * Batch selection (checkbox per card). The selection survives page changes, so
 * images from several pages can be collected; it is capped at the batch size
 * of the API (1000 ids).
 */
class GallerySelection {
	ids = $state<ReadonlySet<string>>(new Set());
	working = $state(false);

	count = $derived(this.ids.size);
	/** How many of the shown page's images are selected. */
	onPage = $derived(gallery.images.filter((e) => this.ids.has(e.id)).length);

	has(id: string): boolean {
		return this.ids.has(id);
	}

	toggle(id: string, on = !this.ids.has(id)): void {
		const next = new Set(this.ids);
		if (on && next.size < MAX_BATCH) next.add(id);
		else if (!on) next.delete(id);
		this.ids = next;
	}

	/** Selects every image of the shown page (or unselects them when all are selected). */
	togglePage(): void {
		const page = gallery.images.map((e) => e.id);
		const all = page.length > 0 && page.every((id) => this.ids.has(id));
		const next = new Set(this.ids);
		for (const id of page) {
			if (all) next.delete(id);
			else if (next.size < MAX_BATCH) next.add(id);
		}
		this.ids = next;
	}

	clear(): void {
		this.ids = new Set();
	}

	async favorite(value: boolean): Promise<void> {
		const ids = [...this.ids];
		if (ids.length === 0 || this.working) return;
		this.working = true;
		try {
			const result = await batchFavorite(ids, value);
			for (const id of ids) gallery.patch(id, { favorite: value });
			const done = result.updated_count;
			if (result.missing_count > 0) {
				toasts.info(t(value ? 'gallery.favoritedPartial' : 'gallery.unfavoritedPartial', {
					count: done,
					requested: result.requested_count,
					missing: result.missing_count
				}));
				this.#drop(result.missing_ids);
			} else {
				toasts.success(t(value ? 'gallery.favorited' : 'gallery.unfavorited', { count: done }));
			}
			await gallery.refresh();
		} catch (err) {
			if (err instanceof ApiError && err.status === 404) {
				toasts.error(t('gallery.noneFound'));
				this.clear();
				await gallery.refresh();
			} else {
				report(err);
			}
		} finally {
			this.working = false;
		}
	}

	/** After a confirmation, hides the selected images and deletes them after the undo window. */
	async delete(): Promise<boolean> {
		const ids = [...this.ids];
		if (ids.length === 0) return false;
		if (!(await galleryDeletes.confirm(ids))) return false;
		this.clear();
		return true;
	}

	#drop(ids: readonly string[]): void {
		const next = new Set(this.ids);
		for (const id of ids) next.delete(id);
		this.ids = next;
	}
}

export const selection = new GallerySelection();
