import { goto } from '$app/navigation';
import { page } from '$app/state';
import { queryFromUrl, urlWithQuery, type GalleryFilters, type GalleryQuery } from './galleryQuery';
import { gallery } from './state/gallery.svelte';

/**
 * Moves the gallery by changing the page URL; the view loads whatever the URL
 * says. Page and filter changes push a history entry (Back undoes them),
 * typing in the search and stepping through the lightbox replace it.
 */

/** The open lightbox's image id (?image=), or null. */
export function imageParam(): string | null {
	const id = page.url.searchParams.get('image')?.trim() ?? '';
	return id !== '' && id.length <= 128 ? id : null;
}

/** The query the URL asks for (what the gallery shows, or is about to). */
export function currentQuery(): GalleryQuery {
	return queryFromUrl(page.url.searchParams, gallery.prompt, gallery.pageSize);
}

/** Applies filter changes: back to page 1, one history entry (none while typing a search). */
export function setFilters(changes: Partial<GalleryFilters>, replace = false): Promise<void> {
	if (changes.prompt !== undefined) gallery.setPrompt(changes.prompt);
	return go({ ...currentQuery(), ...changes, page: 1 }, { replace });
}

/** Goes to a page of the current filters. */
export function goToPage(target: number): Promise<void> {
	const last = gallery.data?.total_pages ?? target;
	const pageNumber = Math.min(Math.max(1, Math.trunc(target) || 1), Math.max(1, last));
	return go({ ...currentQuery(), page: pageNumber });
}

export interface GoOptions {
	replace?: boolean;
	/** The lightbox image: an id opens it, null closes it, undefined keeps it. */
	image?: string | null;
}

export function go(query: GalleryQuery, options: GoOptions = {}): Promise<void> {
	const url = urlWithQuery(page.url, query);
	if (options.image === null) url.searchParams.delete('image');
	else if (options.image !== undefined) url.searchParams.set('image', options.image);
	if (url.href === page.url.href) return Promise.resolve();
	return goto(url, { replaceState: options.replace ?? false, keepFocus: true, noScroll: true });
}

/** Opens or closes the lightbox without touching the rest of the query. */
export function setImage(id: string | null, replace: boolean): Promise<void> {
	const url = new URL(page.url);
	if (id === null) url.searchParams.delete('image');
	else url.searchParams.set('image', id);
	if (url.href === page.url.href) return Promise.resolve();
	return goto(url, { replaceState: replace, keepFocus: true, noScroll: true });
}
