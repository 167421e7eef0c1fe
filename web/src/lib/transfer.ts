import { ApiError, errorDetail } from '$lib/api/client';

/**
 * Byte transfers the browser cannot report through request(): downloads read
 * chunk by chunk (progress from Content-Length) and uploads through
 * XMLHttpRequest (the only browser API with upload progress). Failures are
 * ApiError, like every other call; 401 is left to the caller.
 */

/** loaded bytes so far; total is null when the server did not send a length. */
export type Progress = (loaded: number, total: number | null) => void;

export interface Downloaded {
	blob: Blob;
	headers: Headers;
	/** From Content-Disposition, else the fallback. */
	filename: string;
}

/** The filename of an `attachment; filename="…"` header (plain or RFC 5987 form). */
export function filenameFrom(disposition: string | null, fallback: string): string {
	if (!disposition) return fallback;
	const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
	if (extended) {
		try {
			return decodeURIComponent(extended[1].trim());
		} catch {
			// Fall through to the plain form.
		}
	}
	const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;\s]+)/i.exec(disposition);
	const name = (plain?.[1] ?? plain?.[2] ?? '').replace(/[/\\]/g, '_').trim();
	return name || fallback;
}

/** Fetches a file, reporting progress per chunk, and returns it as a Blob. */
export async function download(
	url: string,
	init: RequestInit,
	fallbackName: string,
	onProgress: Progress
): Promise<Downloaded> {
	let response: Response;
	try {
		response = await fetch(url, { credentials: 'same-origin', ...init });
	} catch (err) {
		if (err instanceof DOMException && err.name === 'AbortError') throw err;
		throw new ApiError(0, err instanceof Error ? err.message : String(err));
	}
	if (!response.ok) {
		const text = await response.text().catch(() => '');
		throw new ApiError(response.status, errorDetail(text, response.statusText || `HTTP ${response.status}`));
	}
	const length = Number(response.headers.get('Content-Length'));
	const total = Number.isFinite(length) && length > 0 ? length : null;
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let loaded = 0;
	onProgress(0, total);
	const reader = response.body?.getReader();
	if (reader) {
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				chunks.push(value);
				loaded += value.byteLength;
				onProgress(loaded, total);
			}
		} catch (err) {
			if (err instanceof DOMException && err.name === 'AbortError') throw err;
			throw new ApiError(0, err instanceof Error ? err.message : String(err));
		}
	}
	if (total !== null && loaded !== total) {
		throw new ApiError(0, `Transfer ended after ${loaded} of ${total} bytes`);
	}
	const type = response.headers.get('Content-Type') ?? 'application/octet-stream';
	const filename = filenameFrom(response.headers.get('Content-Disposition'), fallbackName);
	return { blob: new Blob(chunks, { type }), headers: response.headers, filename };
}

/** Hands a Blob to the browser's download manager under `filename`. */
export function saveBlob(blob: Blob, filename: string): void {
	const href = URL.createObjectURL(blob);
	const link = document.createElement('a');
	link.href = href;
	link.download = filename;
	link.rel = 'noopener';
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	// The download has its own reference by now; give slow browsers a minute anyway.
	setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

/** Lets the browser download a URL itself (no progress here, the browser shows its own). */
export function saveUrl(url: string): void {
	const link = document.createElement('a');
	link.href = url;
	link.download = '';
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
}

/** POSTs a multipart form with upload progress; resolves with the parsed JSON answer. */
export function upload<T>(url: string, form: FormData, onProgress: Progress, signal?: AbortSignal): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const xhr = new XMLHttpRequest();
		xhr.open('POST', url);
		xhr.withCredentials = true;
		xhr.setRequestHeader('Accept', 'application/json');
		xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : null);
		xhr.onerror = () => reject(new ApiError(0, 'Network error'));
		xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
		xhr.onload = () => {
			const text = xhr.responseText ?? '';
			if (xhr.status < 200 || xhr.status >= 300) {
				reject(new ApiError(xhr.status, errorDetail(text, xhr.statusText || `HTTP ${xhr.status}`)));
				return;
			}
			try {
				resolve(JSON.parse(text) as T);
			} catch {
				reject(new ApiError(xhr.status, text.trim() || `HTTP ${xhr.status}`));
			}
		};
		signal?.addEventListener('abort', () => xhr.abort(), { once: true });
		xhr.send(form);
	});
}

/** 1536 → "1.5 KB": binary units with a decimal for small values. */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = Math.max(0, bytes);
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	const digits = unit === 0 || value >= 100 ? 0 : 1;
	return `${value.toFixed(digits)} ${units[unit]}`;
}
