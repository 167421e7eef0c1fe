import { apiPaths, type ApiPath, type GenerateBody, type Job, type OutputFormat, type Quality } from '$lib/api/jobs';

/** Field parsing rules of the generate form (spec/API.md §14.1), shared by the form and retry. */

export const qualities: readonly string[] = ['auto', 'low', 'medium', 'high'];
export const formats: readonly string[] = ['png', 'jpeg', 'webp'];

/** Digits only, at most `max` of them. */
export const digitsOnly = (value: string, max: number) => value.replace(/\D/g, '').slice(0, max);

/** Parses the quantity field: empty or invalid → 1, clamped to 1..10 (§14.1). */
export function parseQuantity(raw: string): number {
	const n = Number.parseInt(raw, 10);
	return Number.isFinite(n) && n >= 1 ? Math.min(n, 10) : 1;
}

/** Parses the compression field: empty → null, clamped to 0..100. */
export function parseCompression(raw: string): number | null {
	const n = Number.parseInt(raw, 10);
	return Number.isFinite(n) ? Math.min(Math.max(n, 0), 100) : null;
}

/** The body that sends a past job again with its own parameters (retry). */
export function bodyOfJob(job: Job, fallbackPath: ApiPath): GenerateBody {
	const format: OutputFormat = formats.includes(job.output_format ?? '')
		? (job.output_format as OutputFormat)
		: 'png';
	const rf = job.response_format;
	const path = job.api_path ?? '';
	return {
		prompt: (job.prompt ?? '').trim(),
		size: job.size || 'auto',
		model: (job.model ?? '').trim(),
		n: parseQuantity(String(job.n ?? 1)),
		quality: qualities.includes(job.quality ?? '') ? (job.quality as Quality) : 'auto',
		output_format: format,
		output_compression: format === 'png' ? null : (job.output_compression ?? null),
		response_format: rf === 'url' || rf === 'b64_json' ? rf : null,
		api_path: (apiPaths as readonly string[]).includes(path) ? (path as ApiPath) : fallbackPath
	};
}
