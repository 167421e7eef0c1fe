import { defaultsOf, fallbackDefaults, getSettings, type PresetDefaults, type SettingsResponse } from '$lib/api/settings';
import { composer } from './composer.svelte';

/**
 * The server's settings (spec/API.md §3.3) as the panel last saw them, and the
 * active preset's form defaults: API path, default model and response format.
 * Without a settings endpoint (404) the panel uses the built-in defaults. Every
 * answer that changes settings goes through apply(), so the compose form follows.
 */
class PresetSettings {
	defaults = $state<PresetDefaults>(fallbackDefaults);
	presetName = $state<string | null>(null);
	/** The last SettingsResponse; null before the first load or without the endpoint. */
	current = $state<SettingsResponse | null>(null);
	loaded = $state(false);
	/** The settings drawer is open. */
	drawerOpen = $state(false);

	async load(signal?: AbortSignal): Promise<void> {
		try {
			const settings = await getSettings(signal);
			if (settings) {
				this.apply(settings);
			}
		} catch {
			// Keep the defaults; a 401 already sent the user to the gate.
		} finally {
			this.loaded = true;
		}
	}

	apply(settings: SettingsResponse): void {
		this.current = settings;
		this.defaults = defaultsOf(settings);
		this.presetName = settings.presets?.find((p) => p.id === settings.active_preset_id)?.name ?? null;
		composer.applyPreset(this.defaults);
	}
}

export const presetSettings = new PresetSettings();
