import { ApiError } from '$lib/api/client';
import { errorText } from '$lib/api/errors';
import {
	activeJobsEventsUrl,
	cancelJob,
	clearJobHistory,
	listJobs,
	type Job
} from '$lib/api/jobs';
import { t } from '$lib/i18n/index.svelte';
import { openEventStream, type EventStream } from '$lib/sse';
import { toasts } from './toasts.svelte';

export const HISTORY_PAGE = 20;

function report(err: unknown): void {
	if (!(err instanceof ApiError && err.status === 401)) {
		toasts.error(errorText(err));
	}
}

/**
 * Running jobs (live, from /api/generate/jobs/events) and the job history
 * (GET /api/generate/jobs?include_finished=true, paged), spec/API.md §3.7, §5.4.
 */
class Jobs {
	active = $state<Job[]>([]);
	/** False until the first `jobs` event, and again while reconnecting. */
	live = $state(false);
	history = $state<Job[]>([]);
	historyLoaded = $state(false);
	historyLoading = $state(false);
	historyEnd = $state(false);
	failedOnly = $state(false);
	cancelling = $state<ReadonlySet<string>>(new Set());
	/** Called after any job ends (the gallery reloads page 1 on success). */
	finishedListeners = new Set<(job: Job) => void>();
	#stream: EventStream | null = null;
	#request = 0;

	/** Opens the live list; `onFirst` gets the active jobs of the first `jobs` event. */
	start(onFirst?: (active: Job[]) => void): void {
		if (this.#stream) return;
		let first = onFirst;
		this.#stream = openEventStream<{ jobs: Job[] }>(
			activeJobsEventsUrl,
			{
				jobs: (list) => {
					list = Array.isArray(list) ? list : [];
					const gone = this.active.some((j) => !list.some((k) => k.job_id === j.job_id));
					this.active = list;
					this.live = true;
					if (gone && this.historyLoaded) void this.loadHistory();
					first?.(list);
					first = undefined;
				}
			},
			{ onError: () => (this.live = false) }
		);
	}

	stop(): void {
		this.#stream?.close();
		this.#stream = null;
		this.live = false;
	}

	/** Loads the first page again (reset) or the next one (more). */
	async loadHistory(more = false): Promise<void> {
		const token = ++this.#request;
		this.historyLoading = true;
		try {
			const offset = more ? this.history.length : 0;
			const page = await listJobs({
				includeFinished: true,
				failedOnly: this.failedOnly,
				limit: HISTORY_PAGE,
				offset
			});
			if (token !== this.#request) return;
			const known = more ? this.history : [];
			const fresh = page.filter((j) => !known.some((k) => k.job_id === j.job_id));
			this.history = [...known, ...fresh];
			this.historyEnd = page.length < HISTORY_PAGE;
			this.historyLoaded = true;
		} catch (err) {
			if (token === this.#request) report(err);
		} finally {
			if (token === this.#request) this.historyLoading = false;
		}
	}

	setFailedOnly(value: boolean): void {
		this.failedOnly = value;
		this.history = [];
		this.historyEnd = false;
		void this.loadHistory();
	}

	async clearHistory(): Promise<boolean> {
		try {
			await clearJobHistory();
			toasts.success(t('jobs.cleared'));
			await this.loadHistory();
			return true;
		} catch (err) {
			report(err);
			return false;
		}
	}

	async cancel(jobId: string): Promise<void> {
		this.cancelling = new Set([...this.cancelling, jobId]);
		try {
			await cancelJob(jobId);
			toasts.info(t('jobs.cancelled'));
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 409)) report(err);
		} finally {
			const next = new Set(this.cancelling);
			next.delete(jobId);
			this.cancelling = next;
		}
		if (this.historyLoaded) await this.loadHistory();
	}

	/** A job followed by the preview ended. */
	jobFinished(job: Job): void {
		this.active = this.active.filter((j) => j.job_id !== job.job_id);
		if (this.historyLoaded) void this.loadHistory();
		for (const listener of this.finishedListeners) listener(job);
	}
}

export const jobs = new Jobs();
