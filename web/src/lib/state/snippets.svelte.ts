import { ApiError } from '$lib/api/client';
import { errorText } from '$lib/api/errors';
import {
	createSnippet,
	deleteSnippet,
	listSnippets,
	updateSnippet,
	type NewSnippet,
	type PromptSnippet
} from '$lib/api/snippets';
import { t } from '$lib/i18n/index.svelte';
import { toasts } from './toasts.svelte';

/** How long typing in the search box waits before asking the server. */
export const SEARCH_DEBOUNCE_MS = 250;

function report(err: unknown): void {
	if (!(err instanceof ApiError && err.status === 401)) {
		toasts.error(errorText(err));
	}
}

/** Saved prompts (spec/API.md §3.5): the list for the current search, in the server's order. */
class Snippets {
	drawerOpen = $state(false);
	items = $state<PromptSnippet[]>([]);
	/** The search the list shows (the box may be ahead of it while debouncing). */
	query = $state('');
	loaded = $state(false);
	loading = $state(false);
	failure = $state('');
	#request = 0;
	#abort: AbortController | null = null;
	#timer: ReturnType<typeof setTimeout> | null = null;

	/** Searches after a short pause in typing. */
	search(query: string): void {
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = setTimeout(() => {
			this.#timer = null;
			this.query = query;
			void this.load();
		}, SEARCH_DEBOUNCE_MS);
	}

	/** Loads the list for the current query; a newer load wins over an older one. */
	async load(): Promise<void> {
		this.#abort?.abort();
		const abort = (this.#abort = new AbortController());
		const token = ++this.#request;
		this.loading = true;
		try {
			const list = await listSnippets(this.query, abort.signal);
			if (token !== this.#request) return;
			this.items = list;
			this.failure = '';
			this.loaded = true;
		} catch (err) {
			if (token !== this.#request || abort.signal.aborted) return;
			if (!(err instanceof ApiError && err.status === 401)) this.failure = errorText(err);
		} finally {
			if (token === this.#request) this.loading = false;
		}
	}

	/** Saves a snippet; throws ApiError so the form can show the server's refusal. */
	async create(body: NewSnippet): Promise<PromptSnippet> {
		const snippet = await createSnippet(body);
		toasts.success(t('snippets.saved', { title: snippet.title }));
		await this.load();
		return snippet;
	}

	async toggleFavorite(snippet: PromptSnippet): Promise<void> {
		try {
			const updated = await updateSnippet(snippet.id, { favorite: !snippet.favorite });
			this.items = this.items.map((s) => (s.id === updated.id ? updated : s));
			await this.load();
		} catch (err) {
			report(err);
		}
	}

	async remove(snippet: PromptSnippet): Promise<boolean> {
		try {
			await deleteSnippet(snippet.id);
			this.items = this.items.filter((s) => s.id !== snippet.id);
			toasts.success(t('snippets.deleted', { title: snippet.title }));
			return true;
		} catch (err) {
			report(err);
			return false;
		}
	}
}

export const snippets = new Snippets();
