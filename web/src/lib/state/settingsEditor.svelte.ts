import { ApiError } from '$lib/api/client';
import { errorText } from '$lib/api/errors';
import * as api from '$lib/api/settings';
import { t } from '$lib/i18n/index.svelte';
import * as drafts from '$lib/settingsDraft';
import { refusedField, type RefusedField } from '$lib/settingsErrors';
import { presetSettings } from './settings.svelte';
import { toasts } from './toasts.svelte';

const noGlobals = (): drafts.GlobalsDraft => ({ socks5: '', webhook: '' });

/**
 * The settings drawer's form (spec/API.md §3.3): the picked preset's draft, the
 * global sections' drafts, and the actions on them. Every server answer goes
 * through presetSettings.apply(), so the compose form follows the active preset.
 */
class SettingsEditor {
	loading = $state(false);
	loadFailed = $state('');
	busy = $state(false);
	/** Why the last save was refused, and the field it names. */
	refusal = $state('');
	invalid = $state<RefusedField>(null);

	selectedId = $state('');
	preset = $state<drafts.PresetDraft | null>(null);
	globals = $state<drafts.GlobalsDraft>(noGlobals());
	optimizer = $state<drafts.OptimizerDraft | null>(null);
	r2 = $state<drafts.R2Draft | null>(null);

	/** The picked preset as saved. */
	saved = $derived(presetSettings.current?.presets?.find((p) => p.id === this.selectedId) ?? null);
	/** The preset fields differ from the saved preset. */
	dirty = $derived(
		this.preset !== null &&
			this.saved !== null &&
			JSON.stringify(this.preset) !== JSON.stringify(drafts.presetDraft(this.saved))
	);

	/** Loads the settings again; every draft starts over from the server's values. */
	async reload(): Promise<void> {
		this.loading = true;
		this.loadFailed = '';
		this.#refuse('', null);
		try {
			const next = await api.getSettings();
			if (next) {
				presetSettings.apply(next);
				this.#resetAll(next);
			} else {
				this.loadFailed = t('settings.unavailable');
			}
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 401)) this.loadFailed = errorText(err);
		} finally {
			this.loading = false;
		}
	}

	/** Another preset in the form; the global sections keep their edits. */
	select(id: string): void {
		const found = presetSettings.current?.presets?.find((p) => p.id === id);
		if (!found) return;
		this.selectedId = id;
		this.preset = drafts.presetDraft(found);
		this.#refuse('', null);
	}

	/** A copy of the picked preset, made active and picked. */
	create(): Promise<boolean> {
		return this.#act(
			() => api.createPreset({ source_preset_id: this.selectedId }),
			(next) => {
				this.select(next.active_preset_id);
				toasts.success(t('settings.created'));
			}
		);
	}

	activate(): Promise<boolean> {
		const name = this.saved?.name ?? '';
		return this.#act(
			() => api.activatePreset(this.selectedId),
			() => toasts.success(t('settings.activated', { name }))
		);
	}

	remove(): Promise<boolean> {
		const name = this.saved?.name ?? '';
		return this.#act(
			() => api.deletePreset(this.selectedId),
			(next) => {
				this.select(next.active_preset_id);
				toasts.success(t('settings.deleted', { name }));
			}
		);
	}

	/**
	 * Saves the picked preset (making it active) and every section. Returns false
	 * when it was refused; `refusal` and `invalid` say why.
	 */
	async save(): Promise<boolean> {
		if (!this.preset || this.busy) return false;
		if (this.preset.apiUrl.trim() === '') {
			this.#refuse(t('settings.apiUrlRequired'), 'api_url');
			return false;
		}
		this.busy = true;
		this.#refuse('', null);
		try {
			const body = drafts.settingsRequest({
				preset: this.preset,
				globals: this.globals,
				optimizer: this.optimizer,
				r2: this.r2
			});
			const next = await api.saveSettings(body);
			presetSettings.apply(next);
			this.#resetAll(next);
			toasts.success(t('settings.saved'));
			return true;
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 401)) {
				this.#refuse(errorText(err), err instanceof ApiError ? refusedField(err.detail) : null);
			}
			return false;
		} finally {
			this.busy = false;
		}
	}

	#resetAll(next: api.SettingsResponse): void {
		const all = drafts.settingsDraft(next, next.active_preset_id);
		this.selectedId = all?.preset.id ?? '';
		this.preset = all?.preset ?? null;
		this.globals = all?.globals ?? noGlobals();
		this.optimizer = all?.optimizer ?? null;
		this.r2 = all?.r2 ?? null;
	}

	#refuse(message: string, field: RefusedField): void {
		this.refusal = message;
		this.invalid = field;
	}

	/** Runs a preset action; its answer is the new SettingsResponse. */
	async #act(
		call: () => Promise<api.SettingsResponse>,
		done: (next: api.SettingsResponse) => void
	): Promise<boolean> {
		this.busy = true;
		try {
			const next = await call();
			presetSettings.apply(next);
			done(next);
			return true;
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 401)) toasts.error(errorText(err));
			return false;
		} finally {
			this.busy = false;
		}
	}
}

export const settingsEditor = new SettingsEditor();
