import { ApiError } from '$lib/api/client';
import {
	cancelJob,
	createEdit,
	createGeneration,
	getJob,
	isActive,
	jobEventsUrl,
	type GenerateBody,
	type Job
} from '$lib/api/jobs';
import { errorText } from '$lib/api/errors';
import { openEventStream, type EventStream } from '$lib/sse';
import { jobs } from './jobs.svelte';
import { toasts } from './toasts.svelte';

/** A server timestamp in ms, or null when missing or unreadable. */
function serverTime(iso: string | null | undefined): number | null {
	const ms = iso ? Date.parse(iso) : NaN;
	return Number.isNaN(ms) ? null : ms;
}

/**
 * The job shown in the preview: created by the compose form (or a retry), re-attached
 * after a reload, or opened from the job drawer; an active one is followed through
 * /api/generate/{id}/events until it ends (spec/API.md §5.3).
 */
class CurrentJob {
	job = $state<Job | null>(null);
	submitting = $state(false);
	cancelling = $state(false);
	/** Clock (ms) when the job was submitted (or created, for one not sent from here), and when it ended. */
	startedAt = $state(0);
	endedAt = $state<number | null>(null);
	now = $state(Date.now());
	#stream: EventStream | null = null;
	#ticker: ReturnType<typeof setInterval> | null = null;

	active = $derived(this.job !== null && isActive(this.job.status));
	elapsedMs = $derived((this.endedAt ?? this.now) - this.startedAt);

	/** Sends a generation, or an edit when files or a gallery source are given. */
	async submit(body: GenerateBody, files: File[] = [], galleryId: string | null = null): Promise<boolean> {
		if (this.submitting) return false;
		this.submitting = true;
		try {
			const edit = files.length > 0 || galleryId !== null;
			const created = edit ? await createEdit(body, files, galleryId) : await createGeneration(body);
			this.#follow({ ...body, ...created, images: [] }, Date.now());
			return true;
		} catch (err) {
			if (!(err instanceof ApiError && err.status === 401)) {
				toasts.error(errorText(err));
			}
			return false;
		} finally {
			this.submitting = false;
		}
	}

	async cancel(): Promise<void> {
		const job = this.job;
		if (!job || !isActive(job.status) || this.cancelling) return;
		this.cancelling = true;
		try {
			await cancelJob(job.job_id);
		} catch (err) {
			// 409: it finished meanwhile; the stream brings the final state.
			if (!(err instanceof ApiError && (err.status === 409 || err.status === 401))) {
				toasts.error(errorText(err));
			}
		} finally {
			this.cancelling = false;
		}
		await this.#refresh(job.job_id);
	}

	/**
	 * Shows a job that was not submitted from this page: an active one is followed like
	 * a fresh submission (elapsed time from its created_at), a finished one shows its
	 * images or error. Showing the job already in the preview does nothing.
	 */
	show(job: Job): void {
		if (this.job?.job_id === job.job_id) return;
		const created = serverTime(job.created_at) ?? serverTime(job.started_at);
		if (isActive(job.status)) {
			this.#follow(job, Math.min(created ?? Date.now(), Date.now()));
			return;
		}
		this.#stop();
		const ended = serverTime(job.completed_at) ?? serverTime(job.updated_at);
		this.startedAt = created ?? ended ?? Date.now();
		this.endedAt = Math.max(ended ?? this.startedAt, this.startedAt);
		this.now = Date.now();
		this.job = job;
	}

	/**
	 * After a reload (or in a second tab): when the preview is empty, follow the newest
	 * of the active jobs (from the first `jobs` event of /api/generate/jobs/events).
	 */
	reattach(active: readonly Job[]): void {
		if (this.job !== null || this.submitting) return;
		const time = (job: Job) => serverTime(job.created_at) ?? serverTime(job.started_at) ?? 0;
		const newest = active
			.filter((job) => isActive(job.status))
			.reduce<Job | null>((best, job) => (best === null || time(job) > time(best) ? job : best), null);
		if (newest) this.show(newest);
	}

	#follow(job: Job, startedAt: number): void {
		this.#stop();
		this.startedAt = startedAt;
		this.now = Date.now();
		this.endedAt = null;
		this.job = job;
		this.#ticker = setInterval(() => (this.now = Date.now()), 100);
		const id = job.job_id;
		this.#stream = openEventStream<{ job: Job }>(
			jobEventsUrl(id),
			{ job: (job) => this.#update(job) },
			{ onError: () => void this.#refresh(id) }
		);
	}

	/** After a lost stream (or a cancel), ask once where the job stands. */
	async #refresh(id: string): Promise<void> {
		try {
			const job = await getJob(id);
			this.#update(job);
		} catch {
			// The stream keeps retrying.
		}
	}

	#update(job: Job): void {
		if (this.job?.job_id !== job.job_id || this.endedAt !== null) return;
		this.job = { ...this.job, ...job };
		if (!isActive(job.status)) {
			this.endedAt = Date.now();
			this.#stop();
			jobs.jobFinished(job);
		}
	}

	#stop(): void {
		this.#stream?.close();
		this.#stream = null;
		if (this.#ticker !== null) {
			clearInterval(this.#ticker);
			this.#ticker = null;
		}
	}
}

export const currentJob = new CurrentJob();
