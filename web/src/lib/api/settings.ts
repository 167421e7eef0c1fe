import { ApiError, request } from './client';
import type { ApiPath } from './jobs';

/** Settings, presets, preset health and R2 health (spec/API.md §3.3, §7, §11.2). */

export type ResponseFormatChoice = '' | 'url' | 'b64_json';
export type SecretSource = 'empty' | 'stored' | 'env';

/** How a stored secret is shown (§7.3): never the secret itself. */
export interface MaskedSecret {
	masked: string;
	has: boolean;
	source: SecretSource;
	envVar: string | null;
}

export interface ApiPreset {
	id: string;
	name: string;
	api_url: string;
	api_path: ApiPath;
	default_model: string;
	default_response_format: ResponseFormatChoice;
	api_key_masked: string;
	has_api_key: boolean;
	api_key_source: SecretSource;
	api_key_env_var: string | null;
}

export interface PromptOptimizerSettings {
	enabled: boolean;
	api_url: string;
	model: string;
	timeout_seconds: number;
	api_key_masked: string;
	has_api_key: boolean;
	api_key_source: SecretSource;
	api_key_env_var: string | null;
}

export interface R2BackupSettings {
	enabled: boolean;
	endpoint_url: string;
	bucket_name: string;
	region: string;
	key_prefix: string;
	sync_interval_hours?: number;
	access_key_id_masked: string;
	has_access_key_id: boolean;
	access_key_id_source: SecretSource;
	access_key_id_env_var: string | null;
	secret_access_key_masked: string;
	has_secret_access_key: boolean;
	secret_access_key_source: SecretSource;
	secret_access_key_env_var: string | null;
}

/** SettingsResponse: the active preset flattened, the globals and every preset. */
export interface SettingsResponse {
	active_preset_id: string;
	api_url: string;
	api_path: ApiPath;
	default_model: string;
	default_response_format: ResponseFormatChoice;
	api_key_masked?: string;
	has_api_key?: boolean;
	api_key_source?: SecretSource;
	api_key_env_var?: string | null;
	has_upstream_socks5_proxy?: boolean;
	upstream_socks5_proxy_masked?: string;
	has_webhook_url?: boolean;
	webhook_url_masked?: string;
	presets?: ApiPreset[];
	prompt_optimizer?: PromptOptimizerSettings;
	r2_backup?: R2BackupSettings;
}

/** The optimizer part of a save: every field optional, merged over the stored values. */
export interface OptimizerRequest {
	enabled?: boolean;
	api_url?: string;
	model?: string;
	timeout_seconds?: number;
	api_key?: string;
}

/** The R2 part of a save or of a Test R2 draft; absent credentials keep the stored ones. */
export interface R2Request {
	enabled?: boolean;
	endpoint_url?: string;
	bucket_name?: string;
	region?: string;
	key_prefix?: string;
	sync_interval_hours?: number;
	access_key_id?: string;
	secret_access_key?: string;
}

/** SettingsRequest of POST /api/settings. null keeps a stored value, "" clears it. */
export interface SettingsRequest {
	active_preset_id?: string;
	preset_name?: string;
	api_url: string;
	api_key?: string | null;
	api_path?: ApiPath;
	default_model?: string | null;
	default_response_format?: ResponseFormatChoice | null;
	upstream_socks5_proxy?: string | null;
	webhook_url?: string | null;
	prompt_optimizer?: OptimizerRequest | null;
	r2_backup?: R2Request | null;
}

export interface NewPresetRequest {
	name?: string;
	source_preset_id?: string;
}

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface HealthCheck {
	name: string;
	status: CheckStatus;
	message: string;
}

/** The answer of a preset health check and of Test R2. */
export interface HealthResult {
	status: CheckStatus;
	checks: HealthCheck[];
}

/** The active preset's form defaults. */
export interface PresetDefaults {
	apiPath: ApiPath;
	model: string;
	responseFormat: ResponseFormatChoice;
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

export const presetKey = (p: ApiPreset): MaskedSecret => ({
	masked: p.api_key_masked,
	has: p.has_api_key,
	source: p.api_key_source,
	envVar: p.api_key_env_var
});

export const optimizerKey = (o: PromptOptimizerSettings): MaskedSecret => ({
	masked: o.api_key_masked,
	has: o.has_api_key,
	source: o.api_key_source,
	envVar: o.api_key_env_var
});

export const r2AccessKey = (r: R2BackupSettings): MaskedSecret => ({
	masked: r.access_key_id_masked,
	has: r.has_access_key_id,
	source: r.access_key_id_source,
	envVar: r.access_key_id_env_var
});

export const r2SecretKey = (r: R2BackupSettings): MaskedSecret => ({
	masked: r.secret_access_key_masked,
	has: r.has_secret_access_key,
	source: r.secret_access_key_source,
	envVar: r.secret_access_key_env_var
});

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

/** POST /api/settings: saves the chosen preset (and activates it) plus the globals. */
export function saveSettings(body: SettingsRequest): Promise<SettingsResponse> {
	return request<SettingsResponse>('/api/settings', { method: 'POST', body });
}

/** POST /api/settings/presets: a copy of the source (or active) preset, made active. */
export function createPreset(body: NewPresetRequest): Promise<SettingsResponse> {
	return request<SettingsResponse>('/api/settings/presets', { method: 'POST', body });
}

export function activatePreset(id: string): Promise<SettingsResponse> {
	return request<SettingsResponse>(`/api/settings/presets/${encodeURIComponent(id)}/activate`, {
		method: 'POST'
	});
}

export function deletePreset(id: string): Promise<SettingsResponse> {
	return request<SettingsResponse>(`/api/settings/presets/${encodeURIComponent(id)}`, {
		method: 'DELETE'
	});
}

/** POST /api/settings/presets/{id}/health: checks the saved preset, no generation. */
export function checkPreset(id: string, signal?: AbortSignal): Promise<HealthResult> {
	return request<HealthResult>(`/api/settings/presets/${encodeURIComponent(id)}/health`, {
		method: 'POST',
		signal
	});
}

/** POST /api/settings/r2/health with a draft merged over the saved R2 settings. */
export function checkR2(draft: R2Request, signal?: AbortSignal): Promise<HealthResult> {
	return request<HealthResult>('/api/settings/r2/health', { method: 'POST', body: draft, signal });
}
