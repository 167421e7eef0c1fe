import { ApiError } from '$lib/api/client';
import { errorText } from '$lib/api/errors';
import { listGallery, setFavorite, type GalleryEntry, type GalleryPage } from '$lib/api/gallery';
import {
	apiParams,
	DEFAULT_PAGE_SIZE,
	emptyFilters,
	pageSizes,
	sameFilters,
	sameQuery,
	type GalleryQuery
} from '$lib/galleryQuery';
import { readPref, writePref } from '$lib/storage';
import { toasts } from './toasts.svelte';

const promptKey = 'image-panel.gallery.prompt';

/** The prompt search of this tab (sessionStorage: survives a reload, not a new tab). */
function savedPrompt(): string {
	try {
		return globalThis.sessionStorage?.getItem(promptKey) ?? '';
	} catch {
		return '';
	}
}

function savePrompt(value: string): void {
	try {
		if (value) globalThis.sessionStorage?.setItem(promptKey, value);
		else globalThis.sessionStorage?.removeItem(promptKey);
	} catch {
		// Without storage the search lasts for this page only.
	}
}

function savedPageSize(): number {
	const value = Number(readPref('gallery.pageSize'));
	return (pageSizes as readonly number[]).includes(value) ? value : DEFAULT_PAGE_SIZE;
}

const initialPrompt = savedPrompt();
const initialPageSize = savedPageSize();

/** Reports a failure unless it is a 401 (the access gate is already showing). */
export function report(err: unknown): void {
	if (!(err instanceof ApiError && err.status === 401)) toasts.error(errorText(err));
}

/**
 * One page of the gallery (GET /api/gallery, spec/API.md §3.8) for the query in the
 * URL. The view calls show() whenever the URL changes; everything else calls refresh().
 */
class Gallery {
	/** The applied prompt search and page size: the parts of the query not in the URL. */
	prompt = $state(initialPrompt);
	pageSize = $state(initialPageSize);
	query = $state<GalleryQuery>({ ...emptyFilters, prompt: initialPrompt, page: 1, pageSize: initialPageSize });
	data = $state<GalleryPage | null>(null);
	loading = $state(false);
	/** The last load failed: the message for the error state (the old page stays visible). */
	failure = $state<string | null>(null);
	/** SUM of bytes for the current filters, asked on demand; null until asked. */
	totalBytes = $state<number | null>(null);
	totalBytesLoading = $state(false);
	/** Ids hidden while their delete waits out its undo window (galleryDeletes). */
	hidden = $state<ReadonlySet<string>>(new Set());
	/** Favorite toggles in flight. */
	busy = $state<ReadonlySet<string>>(new Set());
	#token = 0;
	#inflight: Promise<GalleryPage | null> | null = null;

	images = $derived((this.data?.images ?? []).filter((entry) => !this.hidden.has(entry.id)));
	/** The server's total less the hidden rows of this page. */
	total = $derived(Math.max(0, (this.data?.total ?? 0) - ((this.data?.images.length ?? 0) - this.images.length)));

	/** Shows `query`: loads it unless it is shown (or being loaded) already. Returns the page or null. */
	show(query: GalleryQuery): Promise<GalleryPage | null> {
		if (sameQuery(query, this.query)) {
			if (this.#inflight) return this.#inflight;
			if (this.data && !this.failure) return Promise.resolve(this.data);
		}
		return this.load(query);
	}

	/** Loads `query` and makes it the shown page (the newest call wins). */
	load(query: GalleryQuery, quiet = false): Promise<GalleryPage | null> {
		const promise = this.#fetch(query, quiet);
		this.#inflight = promise;
		void promise.finally(() => {
			if (this.#inflight === promise) this.#inflight = null;
		});
		return promise;
	}

	async #fetch(query: GalleryQuery, quiet: boolean): Promise<GalleryPage | null> {
		const token = ++this.#token;
		if (!sameFilters(query, this.query)) this.totalBytes = null;
		this.query = query;
		if (!quiet) this.loading = true;
		try {
			const data = await listGallery(apiParams(query));
			if (token !== this.#token) return null;
			this.data = data;
			this.failure = null;
			return data;
		} catch (err) {
			if (token !== this.#token) return null;
			if (!(err instanceof ApiError && err.status === 401)) this.failure = errorText(err);
			return null;
		} finally {
			if (token === this.#token) this.loading = false;
		}
	}

	/** The server clamped the page: the shown data is what `page` asks for, no reload needed. */
	settle(page: number): void {
		this.query = { ...this.query, page };
	}

	/** Reloads the shown page in place (after a job, an import, a delete). */
	refresh(): Promise<GalleryPage | null> {
		if (this.totalBytes !== null) void this.loadTotalBytes();
		return this.load(this.query, true);
	}

	setPrompt(value: string): void {
		this.prompt = value.trim();
		savePrompt(this.prompt);
	}

	setPageSize(size: number): void {
		this.pageSize = size;
		writePref('gallery.pageSize', String(size));
	}

	async loadTotalBytes(): Promise<void> {
		const query = this.query;
		this.totalBytesLoading = true;
		try {
			const data = await listGallery(apiParams({ ...query, page: 1, pageSize: 1 }, true));
			if (sameFilters(query, this.query)) this.totalBytes = data.total_bytes;
		} catch (err) {
			report(err);
		} finally {
			this.totalBytesLoading = false;
		}
	}

	/** Flips one favorite at once, puts it back if the server says no. */
	async toggleFavorite(entry: GalleryEntry): Promise<void> {
		if (this.busy.has(entry.id)) return;
		const value = !entry.favorite;
		this.busy = new Set([...this.busy, entry.id]);
		this.patch(entry.id, { favorite: value });
		try {
			this.patch(entry.id, await setFavorite(entry.id, value));
		} catch (err) {
			this.patch(entry.id, { favorite: !value });
			report(err);
		} finally {
			const next = new Set(this.busy);
			next.delete(entry.id);
			this.busy = next;
		}
	}

	/** Updates an entry of the shown page (and every listener of it) in place. */
	patch(id: string, changes: Partial<GalleryEntry>): void {
		if (!this.data) return;
		this.data.images = this.data.images.map((e) => (e.id === id ? { ...e, ...changes } : e));
		for (const listener of this.patchListeners) listener(id, changes);
	}

	/** The lightbox listens, for an entry that is not on the shown page. */
	patchListeners = new Set<(id: string, changes: Partial<GalleryEntry>) => void>();

	hide(ids: Iterable<string>): void {
		this.hidden = new Set([...this.hidden, ...ids]);
	}

	unhide(ids: Iterable<string>): void {
		const next = new Set(this.hidden);
		for (const id of ids) next.delete(id);
		this.hidden = next;
	}
}

export const gallery = new Gallery();
