import type { ApiPath } from './api/jobs';
import type {
	ApiPreset,
	OptimizerRequest,
	PromptOptimizerSettings,
	R2BackupSettings,
	R2Request,
	ResponseFormatChoice,
	SettingsRequest,
	SettingsResponse
} from './api/settings';

/**
 * The settings form as plain data, and the request bodies it makes (spec/API.md
 * §3.3, §7.3). Secrets are never shown in an input: a blank secret field keeps
 * the stored value, `clear` removes it, anything typed replaces it.
 */

export interface SecretDraft {
	value: string;
	clear: boolean;
}

export interface PresetDraft {
	id: string;
	name: string;
	apiUrl: string;
	apiPath: ApiPath;
	model: string;
	responseFormat: ResponseFormatChoice;
	key: SecretDraft;
}

/** SOCKS5 and webhook start as their masked form; sent back unchanged, the server keeps them. */
export interface GlobalsDraft {
	socks5: string;
	webhook: string;
}

export interface OptimizerDraft {
	enabled: boolean;
	apiUrl: string;
	model: string;
	timeout: string;
	key: SecretDraft;
}

export interface R2Draft {
	enabled: boolean;
	endpointUrl: string;
	bucket: string;
	region: string;
	prefix: string;
	/** Hours between scheduled backups, as typed (digits only); "0" = off. */
	interval: string;
	accessKeyId: SecretDraft;
	secretKey: SecretDraft;
}

export interface SettingsDraft {
	preset: PresetDraft;
	globals: GlobalsDraft;
	optimizer: OptimizerDraft | null;
	r2: R2Draft | null;
}

const blankSecret = (): SecretDraft => ({ value: '', clear: false });

/** What a secret field sends: "" clears, a typed value replaces, null keeps. */
export function secretValue(draft: SecretDraft): string | null {
	if (draft.clear) return '';
	const value = draft.value.trim();
	return value === '' ? null : value;
}

export function presetDraft(preset: ApiPreset): PresetDraft {
	return {
		id: preset.id,
		name: preset.name,
		apiUrl: preset.api_url,
		apiPath: preset.api_path,
		model: preset.default_model,
		responseFormat: preset.default_response_format ?? 'url',
		key: blankSecret()
	};
}

export function optimizerDraft(o: PromptOptimizerSettings): OptimizerDraft {
	return {
		enabled: o.enabled,
		apiUrl: o.api_url,
		model: o.model,
		timeout: String(o.timeout_seconds),
		key: blankSecret()
	};
}

export function r2Draft(r: R2BackupSettings): R2Draft {
	return {
		enabled: r.enabled,
		endpointUrl: r.endpoint_url,
		bucket: r.bucket_name,
		region: r.region,
		prefix: r.key_prefix,
		interval: String(r.sync_interval_hours ?? 0),
		accessKeyId: blankSecret(),
		secretKey: blankSecret()
	};
}

/** The draft of `presetId` (the active preset when absent or unknown). */
export function settingsDraft(settings: SettingsResponse, presetId?: string): SettingsDraft | null {
	const presets = settings.presets ?? [];
	const preset =
		presets.find((p) => p.id === presetId) ?? presets.find((p) => p.id === settings.active_preset_id);
	if (!preset) return null;
	return {
		preset: presetDraft(preset),
		globals: {
			socks5: settings.upstream_socks5_proxy_masked ?? '',
			webhook: settings.webhook_url_masked ?? ''
		},
		optimizer: settings.prompt_optimizer ? optimizerDraft(settings.prompt_optimizer) : null,
		r2: settings.r2_backup ? r2Draft(settings.r2_backup) : null
	};
}

export function optimizerRequest(d: OptimizerDraft): OptimizerRequest {
	const body: OptimizerRequest = { enabled: d.enabled, api_url: d.apiUrl.trim(), model: d.model.trim() };
	const timeout = Number.parseInt(d.timeout, 10);
	if (Number.isFinite(timeout)) body.timeout_seconds = timeout;
	const key = secretValue(d.key);
	if (key !== null) body.api_key = key;
	return body;
}

/** The R2 object of a save and of Test R2; kept credentials are left out (merged server-side). */
export function r2Request(d: R2Draft): R2Request {
	const body: R2Request = {
		enabled: d.enabled,
		endpoint_url: d.endpointUrl.trim(),
		bucket_name: d.bucket.trim(),
		region: d.region.trim(),
		key_prefix: d.prefix.trim()
	};
	const interval = Number.parseInt(d.interval, 10);
	if (Number.isFinite(interval)) body.sync_interval_hours = interval;
	const id = secretValue(d.accessKeyId);
	if (id !== null) body.access_key_id = id;
	const secret = secretValue(d.secretKey);
	if (secret !== null) body.secret_access_key = secret;
	return body;
}

/** The POST /api/settings body: saves (and activates) the draft's preset and the globals. */
export function settingsRequest(d: SettingsDraft): SettingsRequest {
	return {
		active_preset_id: d.preset.id,
		preset_name: d.preset.name.trim(),
		api_url: d.preset.apiUrl.trim(),
		api_key: secretValue(d.preset.key),
		api_path: d.preset.apiPath,
		default_model: d.preset.model.trim(),
		default_response_format: d.preset.responseFormat,
		upstream_socks5_proxy: d.globals.socks5.trim(),
		webhook_url: d.globals.webhook.trim(),
		prompt_optimizer: d.optimizer ? optimizerRequest(d.optimizer) : null,
		r2_backup: d.r2 ? r2Request(d.r2) : null
	};
}
