/** English strings of the gallery area (merged into en.ts). Keys start with a prefix of this area. */
export const galleryEn = {
} as const;
