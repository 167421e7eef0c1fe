import { readPref, writePref } from '$lib/storage';

/** The user's choice; 'system' follows prefers-color-scheme. */
export type ThemeMode = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const modes: ThemeMode[] = ['system', 'light', 'dark'];

function isMode(value: unknown): value is ThemeMode {
	return modes.includes(value as ThemeMode);
}

const darkQuery =
	typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

/**
 * Theme preference, persisted in localStorage. The resolved theme is written to
 * <html data-theme> as soon as this module loads, before the first render.
 */
class Ui {
	themeMode = $state<ThemeMode>(this.#savedMode());
	systemDark = $state(darkQuery?.matches ?? false);
	theme = $derived<Theme>(
		this.themeMode === 'system' ? (this.systemDark ? 'dark' : 'light') : this.themeMode
	);

	constructor() {
		darkQuery?.addEventListener('change', (event) => {
			this.systemDark = event.matches;
			this.#apply();
		});
		this.#apply();
	}

	/** The mode a click on the theme switch moves to: system → light → dark → system. */
	get nextThemeMode(): ThemeMode {
		return modes[(modes.indexOf(this.themeMode) + 1) % modes.length];
	}

	setThemeMode(mode: ThemeMode): void {
		if (!isMode(mode)) {
			return;
		}
		this.themeMode = mode;
		writePref('theme', mode);
		this.#apply();
	}

	#savedMode(): ThemeMode {
		const saved = readPref('theme');
		return isMode(saved) ? saved : 'system';
	}

	#apply(): void {
		if (typeof document !== 'undefined') {
			document.documentElement.dataset.theme = this.theme;
		}
	}
}

export const ui = new Ui();
