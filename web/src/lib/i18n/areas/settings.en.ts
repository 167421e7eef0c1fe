/** English strings of the settings area (merged into en.ts). Keys start with a prefix of this area. */
export const settingsEn = {
} as const;
