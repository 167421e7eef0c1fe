import { ApiError } from '$lib/api/client';
import { getEntry, type GalleryEntry } from '$lib/api/gallery';
import { go, setImage } from '$lib/galleryNav';
import { sameQuery, type GalleryQuery } from '$lib/galleryQuery';
import { gallery, report } from './gallery.svelte';

/**
 * The lightbox (spec/API.md §14.1): the image named by ?image=<id>. An id on the
 * shown page uses that entry; any other is read with GET /api/gallery/<id>.
 * Previous/next step through the page and on into the neighbouring pages.
 */
class Lightbox {
	id = $state<string | null>(null);
	/** The entry read from the server when it is not on the shown page. */
	detached = $state<GalleryEntry | null>(null);
	missing = $state(false);
	moving = $state(false);
	/** A card to focus once it is on screen (the lightbox closed before the grid had loaded). */
	focusWhenShown = $state<string | null>(null);
	/** Set when this page pushed the history entry of the open lightbox (Back closes it). */
	#pushedAt: GalleryQuery | null = null;
	#token = 0;

	constructor() {
		gallery.patchListeners.add((id, changes) => {
			if (this.detached?.id === id) this.detached = { ...this.detached, ...changes };
		});
	}

	index = $derived(this.id === null ? -1 : gallery.images.findIndex((e) => e.id === this.id));
	entry = $derived(
		this.index >= 0 ? gallery.images[this.index] : this.detached?.id === this.id ? this.detached : null
	);
	hasPrev = $derived(this.index > 0 || (this.index === 0 && (gallery.data?.has_prev ?? false)));
	hasNext = $derived(
		this.index >= 0 &&
			(this.index < gallery.images.length - 1 || (gallery.data?.has_next ?? false))
	);
	/** 1-based position in the filtered gallery, when the image is on the shown page. */
	position = $derived(
		this.index >= 0 && gallery.data ? (gallery.data.page - 1) * gallery.data.page_size + this.index + 1 : null
	);

	/** Follows the URL: called by the view with ?image= (null when closed). */
	async sync(id: string | null): Promise<void> {
		if (id === this.id && (id === null || this.entry || this.missing)) return;
		this.id = id;
		this.missing = false;
		if (id === null) {
			this.#pushedAt = null;
			return;
		}
		if (gallery.images.some((e) => e.id === id) || this.detached?.id === id) return;
		const token = ++this.#token;
		try {
			const entry = await getEntry(id);
			if (token === this.#token) this.detached = entry;
		} catch (err) {
			if (token !== this.#token) return;
			if (err instanceof ApiError && err.status === 404) this.missing = true;
			else report(err);
		}
	}

	open(id: string): Promise<void> {
		this.#pushedAt = gallery.query;
		return setImage(id, false);
	}

	/** Back when this page opened it and the grid has not moved since, else drop ?image=. */
	close(): Promise<void> | void {
		const pushed = this.#pushedAt;
		this.#pushedAt = null;
		if (pushed && sameQuery(pushed, gallery.query) && history.length > 1) {
			history.back();
			return;
		}
		return setImage(null, true);
	}

	async step(delta: -1 | 1): Promise<void> {
		if (this.moving || this.index < 0) return;
		const target = this.index + delta;
		if (target >= 0 && target < gallery.images.length) {
			await setImage(gallery.images[target].id, true);
			return;
		}
		const data = gallery.data;
		if (!data || (delta < 0 ? !data.has_prev : !data.has_next)) return;
		this.moving = true;
		try {
			const query = { ...gallery.query, page: data.page + delta };
			const loaded = await gallery.load(query, true);
			const images = gallery.images;
			if (!loaded || images.length === 0) return;
			const next = delta > 0 ? images[0] : images[images.length - 1];
			// The grid moved with the lightbox: Back should no longer close it onto the old page.
			await go({ ...query, page: loaded.page }, { replace: true, image: next.id });
		} finally {
			this.moving = false;
		}
	}
}

export const lightbox = new Lightbox();
