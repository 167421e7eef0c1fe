import { request } from './client';

/** Gallery listing, detail, favorite, delete and batch calls (spec/API.md §3.8, §8). */

/** GalleryEntry (§8.1). */
export interface GalleryEntry {
	id: string;
	prompt: string;
	size: string;
	filename: string;
	thumbnail_filename: string | null;
	thumbnail_url: string;
	created_at: string;
	completed_at: string | null;
	image_width: number | null;
	image_height: number | null;
	model: string | null;
	quality: string | null;
	output_format: string | null;
	output_compression: number | null;
	response_format: string | null;
	n: number | null;
	api_path: string | null;
	api_preset_name: string | null;
	duration: string | null;
	favorite: boolean;
	bytes: number | null;
}

export interface FilterOptions {
	models: string[];
	presets: string[];
	sizes: string[];
}

/** GET /api/gallery (§3.8). */
export interface GalleryPage {
	total: number;
	total_bytes: number;
	page: number;
	page_size: number;
	total_pages: number;
	has_prev: boolean;
	has_next: boolean;
	images: GalleryEntry[];
	filter_options: FilterOptions;
}

/** GalleryBatchResponse (§3.8). */
export interface BatchResult {
	status: string;
	count: number;
	file_count: number;
	requested_count: number;
	updated_count: number;
	missing_count: number;
	missing_ids: string[];
}

const entryPath = (id: string) => `/api/gallery/${encodeURIComponent(id)}`;

/** Where a gallery file is served (§3.9). Filenames are encoded like the server's thumbnail_url. */
export const imageUrl = (filename: string) => `/api/image/${encodeURIComponent(filename)}`;
export const thumbUrl = (filename: string) => `/api/thumb/${encodeURIComponent(filename)}`;
export const downloadUrl = (filename: string) => `/api/download/${encodeURIComponent(filename)}`;

/** `params` are the query parameters of §3.8, already in their wire form. */
export function listGallery(params: URLSearchParams, signal?: AbortSignal): Promise<GalleryPage> {
	return request<GalleryPage>(`/api/gallery?${params}`, { signal });
}

export function getEntry(id: string, signal?: AbortSignal): Promise<GalleryEntry> {
	return request<GalleryEntry>(entryPath(id), { signal });
}

export function setFavorite(id: string, favorite: boolean): Promise<GalleryEntry> {
	return request<GalleryEntry>(`${entryPath(id)}/favorite`, { method: 'PATCH', body: { favorite } });
}

export function deleteEntry(id: string): Promise<{ status: string; message: string }> {
	return request(entryPath(id), { method: 'DELETE' });
}

export function deleteAll(): Promise<{ status: string; message: string }> {
	return request('/api/gallery', { method: 'DELETE' });
}

export function batchFavorite(ids: string[], favorite: boolean): Promise<BatchResult> {
	return request<BatchResult>('/api/gallery/batch/favorite', {
		method: 'PATCH',
		body: { ids, favorite }
	});
}

export function batchDelete(ids: string[]): Promise<BatchResult> {
	return request<BatchResult>('/api/gallery/batch/delete', { method: 'POST', body: { ids } });
}

/** The batch download is a ZIP, fetched with progress by lib/transfer.ts. */
export const batchDownloadPath = '/api/gallery/batch/download';

/** At most this many ids per batch request (§3.8). */
export const MAX_BATCH = 1000;
