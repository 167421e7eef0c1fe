import type { settingsEn } from './settings.en';

export type SettingsMessages = Record<keyof typeof settingsEn, string>;
