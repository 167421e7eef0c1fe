import { request } from './client';

/** GET /api/version (spec/API.md §3.1). */
export interface VersionInfo {
	version: string;
	github_repo: string;
	release_url: string | null;
}

export function getVersion(signal?: AbortSignal): Promise<VersionInfo> {
	return request<VersionInfo>('/api/version', { signal });
}
