import { readPref, writePref } from '$lib/storage';
import { en, type MessageKey, type Messages } from './en';
import { zh } from './zh';

export type Lang = 'en' | 'zh';
export type { MessageKey };

const tables: Record<Lang, Messages> = { en, zh };

/** Languages in menu order, with the value written to <html lang>. */
export const languages: ReadonlyArray<{ code: Lang; htmlLang: string; nameKey: MessageKey }> = [
	{ code: 'en', htmlLang: 'en', nameKey: 'lang.en' },
	{ code: 'zh', htmlLang: 'zh-CN', nameKey: 'lang.zh' }
];

function isLang(value: unknown): value is Lang {
	return value === 'en' || value === 'zh';
}

function initialLang(): Lang {
	const saved = readPref('lang');
	if (isLang(saved)) {
		return saved;
	}
	const browser = globalThis.navigator?.language ?? 'en';
	return browser.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** The current language: a rune, so every t() call in a template follows it. */
class Locale {
	lang = $state<Lang>(initialLang());

	constructor() {
		this.#apply();
	}

	set(lang: Lang): void {
		if (!isLang(lang) || lang === this.lang) {
			return;
		}
		this.lang = lang;
		writePref('lang', lang);
		this.#apply();
	}

	#apply(): void {
		if (typeof document !== 'undefined') {
			const entry = languages.find((l) => l.code === this.lang);
			document.documentElement.lang = entry?.htmlLang ?? 'en';
		}
	}
}

export const locale = new Locale();

type Params = Record<string, string | number>;

/** Looks a key up in the current language and fills its {placeholders}. */
export function t(key: MessageKey, params?: Params): string {
	const text: string = tables[locale.lang][key] ?? en[key];
	if (!params) {
		return text;
	}
	return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
		name in params ? String(params[name]) : whole
	);
}

const lockout = /^Too many failed attempts\. Try again in (\d+) seconds\.$/;

/**
 * The server speaks English in `detail`. Messages we know are shown in the
 * user's language; anything else is shown as the server wrote it.
 */
export function serverText(detail: string): string {
	switch (detail) {
		case 'Invalid access key':
			return t('server.invalidKey');
		case 'Access key required':
			return t('server.accessRequired');
	}
	const match = lockout.exec(detail);
	if (match) {
		return t('server.lockout', { seconds: match[1] });
	}
	return detail;
}
