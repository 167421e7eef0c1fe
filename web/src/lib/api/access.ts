import { request } from './client';

/** GET /api/access/status and POST /api/access (spec/API.md §3.2). */
export interface AccessStatus {
	authenticated: boolean;
	/** UTC ISO time the cookie expires; null when the server has no access key. */
	expires_at: string | null;
}

export function getAccessStatus(signal?: AbortSignal): Promise<AccessStatus> {
	return request<AccessStatus>('/api/access/status', { signal, sessionCheck: false });
}

/** Trades the access key for the session cookie. A wrong key throws ApiError 401. */
export function unlock(accessKey: string): Promise<AccessStatus> {
	return request<AccessStatus>('/api/access', {
		method: 'POST',
		body: { access_key: accessKey },
		sessionCheck: false
	});
}
