/**
 * The gallery's query (page and filters) and how it lives in the page URL and in
 * the /api/gallery request (spec/API.md §3.8, §14.1). Pure functions, no runes.
 *
 * In the URL: `page`, `model`, `preset`, `size`, `date_from`, `date_to`,
 * `favorite` and `image` (the open lightbox). The prompt search is not put in the
 * URL (§14.1: prompts stay out of addresses, history and server logs); the
 * gallery state keeps it in sessionStorage so a reload of the tab keeps it.
 */

export type FavoriteFilter = '' | 'true' | 'false';

export interface GalleryFilters {
	prompt: string;
	model: string;
	preset: string;
	size: string;
	/** YYYY-MM-DD or ''. */
	dateFrom: string;
	dateTo: string;
	favorite: FavoriteFilter;
}

export interface GalleryQuery extends GalleryFilters {
	page: number;
	pageSize: number;
}

export const emptyFilters: GalleryFilters = {
	prompt: '',
	model: '',
	preset: '',
	size: '',
	dateFrom: '',
	dateTo: '',
	favorite: ''
};

export const pageSizes = [12, 24, 48, 96] as const;
export const DEFAULT_PAGE_SIZE = 24;

/** URL parameter of each filter that goes into the address. */
const urlNames = {
	model: 'model',
	preset: 'preset',
	size: 'size',
	dateFrom: 'date_from',
	dateTo: 'date_to',
	favorite: 'favorite'
} as const;

/** The gallery's own parameters; anything else in the URL (e.g. ?jobs=) is left alone. */
export const galleryParams = ['page', 'image', ...Object.values(urlNames)];

const isoDate = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isDate(value: string): boolean {
	if (!isoDate.test(value)) return false;
	const date = new Date(`${value}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

function clip(value: string | null, max: number): string {
	return (value ?? '').trim().slice(0, max);
}

/** Reads page and filters from the URL; bad values are dropped, never sent. */
export function queryFromUrl(params: URLSearchParams, prompt: string, pageSize: number): GalleryQuery {
	const page = Number.parseInt(params.get('page') ?? '', 10);
	const favorite = params.get(urlNames.favorite);
	const date = (name: string) => {
		const value = clip(params.get(name), 10);
		return isDate(value) ? value : '';
	};
	return {
		page: Number.isFinite(page) && page >= 1 ? page : 1,
		pageSize,
		prompt: prompt.slice(0, 4000),
		model: clip(params.get(urlNames.model), 200),
		preset: clip(params.get(urlNames.preset), 200),
		size: clip(params.get(urlNames.size), 40),
		dateFrom: date(urlNames.dateFrom),
		dateTo: date(urlNames.dateTo),
		favorite: favorite === 'true' || favorite === 'false' ? favorite : ''
	};
}

/** Writes page and filters (not the prompt) into a copy of `url`; defaults are left out. */
export function urlWithQuery(url: URL, query: GalleryQuery): URL {
	const next = new URL(url);
	const params = next.searchParams;
	if (query.page > 1) params.set('page', String(query.page));
	else params.delete('page');
	for (const [field, name] of Object.entries(urlNames) as [keyof typeof urlNames, string][]) {
		const value = query[field];
		if (value) params.set(name, value);
		else params.delete(name);
	}
	return next;
}

/** The /api/gallery query string of §3.8. */
export function apiParams(query: GalleryQuery, includeTotalBytes = false): URLSearchParams {
	const params = new URLSearchParams({ page: String(query.page), page_size: String(query.pageSize) });
	const prompt = query.prompt.trim();
	if (prompt) params.set('prompt', prompt);
	if (query.model) params.set('model', query.model);
	if (query.preset) params.set('preset', query.preset);
	if (query.size) params.set('size', query.size);
	if (query.dateFrom) params.set('date_from', query.dateFrom);
	if (query.dateTo) params.set('date_to', query.dateTo);
	if (query.favorite) params.set('favorite', query.favorite);
	if (includeTotalBytes) params.set('include_total_bytes', 'true');
	return params;
}

/** True when two queries ask the server for the same thing. */
export function sameQuery(a: GalleryQuery, b: GalleryQuery): boolean {
	return apiParams(a).toString() === apiParams(b).toString();
}

/** Same filters, page aside (a filter change goes back to page 1; total size is per filter set). */
export function sameFilters(a: GalleryFilters, b: GalleryFilters): boolean {
	return apiParams({ ...a, page: 1, pageSize: 1 }).toString() === apiParams({ ...b, page: 1, pageSize: 1 }).toString();
}

export function hasFilters(filters: GalleryFilters): boolean {
	return !sameFilters(filters, emptyFilters);
}
