import { defaultsOf, fallbackDefaults, getSettings, type PresetDefaults, type SettingsResponse } from '$lib/api/settings';
import { composer } from './composer.svelte';

/**
 * The active preset as far as the workbench cares (spec/API.md §3.3): its API path,
 * default model and response format. Without a settings endpoint (404) the panel
 * uses the built-in defaults. The settings drawer calls apply() after saving.
 */
class PresetSettings {
	defaults = $state<PresetDefaults>(fallbackDefaults);
	presetName = $state<string | null>(null);
	loaded = $state(false);

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
		this.defaults = defaultsOf(settings);
		const presets = (settings as SettingsResponse & { presets?: { id: string; name: string }[] })
			.presets;
		this.presetName = presets?.find((p) => p.id === settings.active_preset_id)?.name ?? null;
		composer.applyPreset(this.defaults);
	}
}

export const presetSettings = new PresetSettings();
