import { ApiError, request } from './client';

/** Generation and edit jobs (spec/API.md §3.6, §3.7, §4). */

export type JobState =
	| 'queued'
	| 'running'
	| 'success'
	| 'error'
	| 'upstream_error'
	| 'cancelled'
	| 'interrupted';

export type ApiPath = '/v1/images/generations' | '/v1/responses' | '/v1/chat/completions';
export const apiPaths: readonly ApiPath[] = [
	'/v1/images/generations',
	'/v1/responses',
	'/v1/chat/completions'
];

export type Quality = 'auto' | 'low' | 'medium' | 'high';
export type OutputFormat = 'png' | 'jpeg' | 'webp';
export type ResponseFormat = 'url' | 'b64_json';

/** The JSON body of POST /api/generate, exactly as §14.1 lists it. */
export interface GenerateBody {
	prompt: string;
	size: string;
	model: string;
	n: number;
	quality: Quality;
	output_format: OutputFormat;
	output_compression: number | null;
	response_format: ResponseFormat | null;
	api_path: ApiPath;
}

export interface JobImage {
	image_id: string;
	image_url: string;
	filename: string;
	image_width: number | null;
	image_height: number | null;
}

/** GenerateJobStatus (§4.2). Everything but job_id and status may be null. */
export interface Job {
	job_id: string;
	status: JobState;
	stage?: string | null;
	message?: string | null;
	operation?: 'generation' | 'edit' | null;
	image_url?: string | null;
	images?: JobImage[] | null;
	prompt?: string | null;
	size?: string | null;
	model?: string | null;
	quality?: string | null;
	output_format?: string | null;
	output_compression?: number | null;
	response_format?: string | null;
	n?: number | null;
	api_path?: string | null;
	api_preset_name?: string | null;
	created_at?: string | null;
	started_at?: string | null;
	updated_at?: string | null;
	completed_at?: string | null;
	duration?: string | null;
	error?: string | null;
}

export interface JobCreated {
	job_id: string;
	status: JobState;
	stage: string;
	message: string;
	operation: 'generation' | 'edit';
}

export function isActive(status: JobState): boolean {
	return status === 'queued' || status === 'running';
}

export function isFailed(status: JobState): boolean {
	return status === 'error' || status === 'upstream_error';
}

export function createGeneration(body: GenerateBody): Promise<JobCreated> {
	return request<JobCreated>('/api/generate', { method: 'POST', body });
}

/**
 * POST /api/edits, or /api/edits/from-gallery/{id} when a gallery image is the first
 * source. Every non-null field except api_path goes in as a string; files under
 * `image` when exactly one is sent, else repeated `image[]`.
 */
export function createEdit(
	body: GenerateBody,
	files: readonly File[],
	galleryImageId: string | null
): Promise<JobCreated> {
	const form = new FormData();
	for (const [key, value] of Object.entries(body)) {
		if (key !== 'api_path' && value !== null && value !== '') {
			form.append(key, String(value));
		}
	}
	const field = files.length === 1 ? 'image' : 'image[]';
	for (const file of files) {
		form.append(field, file, file.name);
	}
	const path = galleryImageId
		? `/api/edits/from-gallery/${encodeURIComponent(galleryImageId)}`
		: '/api/edits';
	return request<JobCreated>(path, { method: 'POST', body: form });
}

export function getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
	return request<Job>(`/api/generate/${encodeURIComponent(jobId)}`, { signal });
}

export function cancelJob(jobId: string): Promise<{ status: string; message: string }> {
	return request(`/api/generate/${encodeURIComponent(jobId)}`, { method: 'DELETE' });
}

export interface JobListQuery {
	includeFinished?: boolean;
	failedOnly?: boolean;
	limit?: number;
	offset?: number;
}

export async function listJobs(query: JobListQuery = {}, signal?: AbortSignal): Promise<Job[]> {
	const params = new URLSearchParams({
		include_finished: String(query.includeFinished ?? false),
		failed_only: String(query.failedOnly ?? false),
		limit: String(query.limit ?? 100),
		offset: String(query.offset ?? 0)
	});
	const jobs = await request<Job[]>(`/api/generate/jobs?${params}`, { signal });
	if (!Array.isArray(jobs)) {
		throw new ApiError(200, 'Expected a list of jobs');
	}
	return jobs;
}

export function clearJobHistory(): Promise<{ status: string; message: string }> {
	return request('/api/generate/jobs/history', { method: 'DELETE' });
}

export const jobEventsUrl = (jobId: string) => `/api/generate/${encodeURIComponent(jobId)}/events`;
export const activeJobsEventsUrl = '/api/generate/jobs/events';
