/**
 * The gallery's confirmation dialog (GalleryConfirm.svelte shows it): one question
 * at a time, answered true (confirmed) or false (cancelled, Escape, backdrop).
 */
export interface Question {
	title: string;
	body: string;
	confirmLabel: string;
	/** When set, the confirm button stays disabled until this word is typed. */
	word?: string;
}

class GalleryConfirm {
	question = $state<Question | null>(null);
	#resolve: ((answer: boolean) => void) | null = null;

	ask(question: Question): Promise<boolean> {
		this.#resolve?.(false);
		this.question = question;
		return new Promise<boolean>((resolve) => (this.#resolve = resolve));
	}

	answer(value: boolean): void {
		const resolve = this.#resolve;
		this.#resolve = null;
		this.question = null;
		resolve?.(value);
	}
}

export const galleryConfirm = new GalleryConfirm();
