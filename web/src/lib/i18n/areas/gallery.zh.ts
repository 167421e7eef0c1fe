import type { GalleryMessages } from './gallery.types';

/** Simplified Chinese strings of the gallery area: exactly the keys of gallery.en.ts. */
export const galleryZh: GalleryMessages = {
};
