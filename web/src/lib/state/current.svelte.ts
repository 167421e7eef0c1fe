import { ApiError } from '$lib/api/client';
import {
	cancelJob,
	createEdit,
	createGeneration,
	getJob,
	isActive,
	jobEventsUrl,
	type GenerateBody,
	type Job,
	type JobCreated
} from '$lib/api/jobs';
import { errorText } from '$lib/api/errors';
import { openEventStream, type EventStream } from '$lib/sse';
import { jobs } from './jobs.svelte';
import { toasts } from './toasts.svelte';

/**
 * The job shown in the preview: created by the compose form (or a retry), then
 * followed through /api/generate/{id}/events until it ends (spec/API.md §5.3).
 */
class CurrentJob {
	job = $state<Job | null>(null);
	submitting = $state(false);
	cancelling = $state(false);
	/** Local clock (ms) when the job was submitted, and when it ended. */
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
			this.#follow(created, body);
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

	#follow(created: JobCreated, body: GenerateBody): void {
		this.#stop();
		this.startedAt = Date.now();
		this.now = this.startedAt;
		this.endedAt = null;
		this.job = { ...body, ...created, images: [] };
		this.#ticker = setInterval(() => (this.now = Date.now()), 100);
		const id = created.job_id;
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
