import { ApiError } from '$lib/api/client';
import { optimizePrompt, targetLanguages, type TargetLanguage } from '$lib/api/prompt';
import { locale } from '$lib/i18n/index.svelte';
import { readPref, writePref } from '$lib/storage';
import { composer } from './composer.svelte';

export interface Optimized {
	/** The prompt before, for Undo. */
	original: string;
	optimized: string;
	model: string;
	durationMs: number;
}

function savedLanguage(): TargetLanguage {
	const saved = readPref('optimizerLanguage');
	if ((targetLanguages as readonly string[]).includes(saved ?? '')) return saved as TargetLanguage;
	return locale.lang === 'zh' ? 'zh-CN' : 'en';
}

/**
 * The Optimize button (spec/API.md §3.4): sends the prompt with the form's
 * parameters, puts the answer into the prompt, and keeps the original for Undo.
 */
class Optimizer {
	targetLanguage = $state<TargetLanguage>(savedLanguage());
	running = $state(false);
	startedAt = $state(0);
	now = $state(0);
	/** The last success, shown with Keep / Undo while the prompt still holds it. */
	result = $state<Optimized | null>(null);
	failure = $state<ApiError | null>(null);
	#abort: AbortController | null = null;
	#ticker: ReturnType<typeof setInterval> | null = null;

	setTargetLanguage(value: TargetLanguage): void {
		this.targetLanguage = value;
		writePref('optimizerLanguage', value);
	}

	/** Runs the optimizer on the current prompt; false when the prompt is blank. */
	async run(): Promise<boolean> {
		const original = composer.prompt;
		if (original.trim() === '' || this.running) return false;
		this.#abort = new AbortController();
		const abort = this.#abort;
		this.running = true;
		this.failure = null;
		this.result = null;
		this.startedAt = this.now = Date.now();
		this.#ticker = setInterval(() => (this.now = Date.now()), 100);
		try {
			const answer = await optimizePrompt(
				{
					prompt: original.trim(),
					target_language: this.targetLanguage,
					api_path: composer.apiPath,
					model: composer.model.trim() || null,
					size: composer.size,
					quality: composer.quality
				},
				abort.signal
			);
			composer.prompt = answer.optimized_prompt;
			this.result = {
				original,
				optimized: answer.optimized_prompt,
				model: answer.model,
				durationMs: answer.duration_ms
			};
		} catch (err) {
			if (!abort.signal.aborted && !(err instanceof ApiError && err.status === 401)) {
				this.failure = err instanceof ApiError ? err : new ApiError(0, String(err));
			}
		} finally {
			if (this.#ticker !== null) clearInterval(this.#ticker);
			this.#ticker = null;
			this.running = false;
			this.#abort = null;
		}
		return true;
	}

	cancel(): void {
		this.#abort?.abort();
	}

	/** Puts the prompt from before the optimization back. */
	undo(): void {
		if (this.result) composer.prompt = this.result.original;
		this.result = null;
	}

	keep(): void {
		this.result = null;
	}

	dismissFailure(): void {
		this.failure = null;
	}
}

export const optimizer = new Optimizer();
