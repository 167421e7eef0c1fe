import { t } from '$lib/i18n/index.svelte';

/**
 * The one fetch wrapper every API module goes through: same-origin cookies,
 * JSON in and out, and failures as ApiError with the server's message.
 */

/** A failed API call. status 0 means the request never got an HTTP answer. */
export class ApiError extends Error {
	readonly status: number;
	readonly detail: string;

	constructor(status: number, detail: string) {
		super(detail);
		this.name = 'ApiError';
		this.status = status;
		this.detail = detail;
	}
}

export interface RequestOptions {
	method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
	/** Plain objects are sent as JSON; FormData is sent as multipart. */
	body?: unknown;
	signal?: AbortSignal;
	/**
	 * When false, a 401 is only reported to the caller. The access endpoints use
	 * this: a wrong key answers 401 but must not count as an expired session.
	 */
	sessionCheck?: boolean;
}

type UnauthorizedHandler = () => void;
let onUnauthorized: UnauthorizedHandler | null = null;

/** Registered once by the session state: called whenever the session is gone. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
	onUnauthorized = handler;
}

/** Picks the message out of an error body: detail, error, message or the raw text. */
export function errorDetail(raw: string, fallback: string): string {
	try {
		const body: unknown = JSON.parse(raw);
		if (body && typeof body === 'object') {
			const record = body as Record<string, unknown>;
			for (const field of ['detail', 'error', 'message']) {
				const value = record[field];
				if (typeof value === 'string' && value.trim() !== '') {
					return value;
				}
			}
		}
	} catch {
		// Not JSON: fall through to the raw text.
	}
	const text = raw.trim();
	return text !== '' ? text : fallback;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
	const { method = 'GET', body, signal, sessionCheck = true } = options;
	const headers: Record<string, string> = { Accept: 'application/json' };
	let payload: BodyInit | undefined;
	if (body instanceof FormData) {
		payload = body;
	} else if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		payload = JSON.stringify(body);
	}

	let response: Response;
	try {
		response = await fetch(path, { method, headers, body: payload, signal, credentials: 'same-origin' });
	} catch (err) {
		if (err instanceof DOMException && err.name === 'AbortError') {
			throw err;
		}
		throw new ApiError(0, err instanceof Error ? err.message : String(err));
	}

	const text = await response.text();
	if (!response.ok) {
		const detail = errorDetail(text, response.statusText || `HTTP ${response.status}`);
		if (response.status === 401 && sessionCheck) {
			onUnauthorized?.();
		}
		throw new ApiError(response.status, detail);
	}
	if (text === '') {
		return undefined as T;
	}
	try {
		return JSON.parse(text) as T;
	} catch {
		throw new ApiError(response.status, t('error.badJson'));
	}
}
