import type { galleryEn } from './gallery.en';

export type GalleryMessages = Record<keyof typeof galleryEn, string>;
