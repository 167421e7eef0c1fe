import type { SettingsMessages } from './settings.types';

/** Simplified Chinese strings of the settings area: exactly the keys of settings.en.ts. */
export const settingsZh: SettingsMessages = {
};
