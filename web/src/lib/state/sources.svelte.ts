/**
 * Edit sources (spec/API.md §3.6, §14.1): local files added by the upload button,
 * paste or drag and drop, plus at most one gallery image. With any source the
 * compose form submits an edit instead of a generation.
 */

export const MAX_SOURCES = 16;

const imageTypes = /^image\/(png|jpeg|webp|gif|avif|bmp|heic|heif|x-icon|vnd\.microsoft\.icon|tiff)$/;
const imageExtensions = /\.(png|jpe?g|webp|gif|avif|bmp|heic|heif|ico|tiff?)$/i;

/** What the file input offers. */
export const acceptImages =
	'image/png,image/jpeg,image/webp,image/gif,image/avif,image/bmp,image/heic,image/heif,image/x-icon,image/tiff,.heic,.heif';

export interface LocalSource {
	id: number;
	file: File;
	/** blob: URL for the thumbnail; revoked when the source goes. */
	url: string;
}

export interface GallerySource {
	imageId: string;
	thumbUrl: string;
}

export interface AddResult {
	added: number;
	/** Not images (wrong type or extension). */
	rejected: number;
	/** Over the 16-source limit. */
	dropped: number;
}

export function isImageFile(file: File): boolean {
	return file.type !== 'image/svg+xml' && (imageTypes.test(file.type) || imageExtensions.test(file.name));
}

/** Gives pasted images (named "image.png" by the browser) a distinct name. */
function named(file: File, index: number): File {
	if (file.name && file.name !== 'image.png') {
		return file;
	}
	const ext = (file.type.split('/')[1] ?? 'png').replace('jpeg', 'jpg');
	return new File([file], `pasted-${Date.now()}-${index}.${ext}`, { type: file.type });
}

class EditSources {
	local = $state<LocalSource[]>([]);
	gallery = $state<GallerySource | null>(null);
	#nextId = 1;

	count = $derived(this.local.length + (this.gallery ? 1 : 0));
	isEdit = $derived(this.count > 0);
	full = $derived(this.count >= MAX_SOURCES);

	add(files: Iterable<File>): AddResult {
		const result: AddResult = { added: 0, rejected: 0, dropped: 0 };
		const next = [...this.local];
		let index = 0;
		for (const file of files) {
			if (!isImageFile(file)) {
				result.rejected += 1;
			} else if (next.length + (this.gallery ? 1 : 0) >= MAX_SOURCES) {
				result.dropped += 1;
			} else {
				const source = named(file, index++);
				next.push({ id: this.#nextId++, file: source, url: URL.createObjectURL(source) });
				result.added += 1;
			}
		}
		this.local = next;
		return result;
	}

	remove(id: number): void {
		const gone = this.local.find((s) => s.id === id);
		if (gone) {
			URL.revokeObjectURL(gone.url);
			this.local = this.local.filter((s) => s.id !== id);
		}
	}

	/** Called by the gallery ("edit this image"); replaces any earlier gallery source. */
	setGallerySource(imageId: string, thumbUrl: string): void {
		this.gallery = { imageId, thumbUrl };
		// A gallery source takes one of the 16 slots: drop the newest uploads if needed.
		while (this.local.length > MAX_SOURCES - 1) {
			this.remove(this.local[this.local.length - 1].id);
		}
	}

	clearGallerySource(): void {
		this.gallery = null;
	}

	clear(): void {
		for (const source of this.local) {
			URL.revokeObjectURL(source.url);
		}
		this.local = [];
		this.gallery = null;
	}

	files(): File[] {
		return this.local.map((s) => s.file);
	}
}

export const editSources = new EditSources();
