import { ApiError, request } from './client';
import type { ApiPath } from './jobs';

/** The part of GET /api/settings (spec/API.md §3.3) the workbench needs. */
export interface SettingsResponse {
	active_preset_id: string;
	api_url: string;
	api_path: ApiPath;
	default_model: string;
	default_response_format: '' | 'url' | 'b64_json';
}

/** The active preset's form defaults. */
export interface PresetDefaults {
	apiPath: ApiPath;
	model: string;
	responseFormat: '' | 'url' | 'b64_json';
}

export const fallbackDefaults: PresetDefaults = {
	apiPath: '/v1/images/generations',
	model: 'gpt-image-2',
	responseFormat: 'url'
};

export function defaultsOf(settings: SettingsResponse): PresetDefaults {
	return {
		apiPath: settings.api_path || fallbackDefaults.apiPath,
		model: settings.default_model?.trim() || fallbackDefaults.model,
		responseFormat: settings.default_response_format ?? fallbackDefaults.responseFormat
	};
}

/** GET /api/settings; null when the server has no settings endpoint (404). */
export async function getSettings(signal?: AbortSignal): Promise<SettingsResponse | null> {
	try {
		return await request<SettingsResponse>('/api/settings', { signal });
	} catch (err) {
		if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
			return null;
		}
		throw err;
	}
}
