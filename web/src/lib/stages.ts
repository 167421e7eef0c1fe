import type { Job } from '$lib/api/jobs';
import { t, type MessageKey } from '$lib/i18n/index.svelte';

/** Stage tokens the panel knows (spec/API.md §4.3), mapped to their i18n keys. */
const known = new Set([
	'queued',
	'starting_generation',
	'starting_edit',
	'waiting_for_api',
	'finalizing_preview',
	'completed',
	'generation_failed',
	'edit_failed',
	'cancelled',
	'interrupted',
	'building_generation_payload',
	'building_responses_payload',
	'building_chat_completions_payload',
	'building_edit_form',
	'uploading_edit_image',
	'received_api_response',
	'parsing_json_response',
	'extracting_generation_data',
	'extracting_response_image_output',
	'extracting_chat_completion_image_output',
	'extracting_edit_data',
	'decoding_b64_json',
	'downloading_image_url',
	'extracting_image_bytes',
	'validating_image_bytes',
	'saving_images',
	'saving_image_file'
]);

const progress = /\((\d+)\s*\/\s*(\d+)[^)]*\)\s*$/;
const partial = /^Generated (\d+) of (\d+) requested images; (\d+) failed$/;

/** "(i/N)" from the end of a message, or "". */
export function progressSuffix(message: string | null | undefined): string {
	const match = progress.exec(message ?? '');
	return match ? `(${match[1]}/${match[2]})` : '';
}

/**
 * One line for a job's stage: the translated stage with the message's trailing
 * "(i/N)", or the server's message for stages the panel does not know.
 */
export function stageText(job: Pick<Job, 'stage' | 'message' | 'status'>): string {
	const message = job.message ?? '';
	const found = partial.exec(message);
	if (found) {
		return t('stage.partial', { done: found[1], total: found[2], failed: found[3] });
	}
	const stage = job.stage ?? job.status;
	if (!known.has(stage)) {
		return message || stage;
	}
	const text = t(`stage.${stage}` as MessageKey);
	const suffix = progressSuffix(message);
	return suffix ? `${text} ${suffix}` : text;
}

/** Milliseconds as "4.2 s", "1:05" or "1:02:05". */
export function formatElapsed(ms: number): string {
	const seconds = Math.max(0, ms) / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)} s`;
	}
	const whole = Math.floor(seconds);
	const h = Math.floor(whole / 3600);
	const m = Math.floor((whole % 3600) / 60);
	const s = String(whole % 60).padStart(2, '0');
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A server timestamp as local "HH:MM" (today) or "YYYY-MM-DD HH:MM". */
export function formatWhen(iso: string | null | undefined): string {
	if (!iso) return '';
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return iso;
	const pad = (n: number) => String(n).padStart(2, '0');
	const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
	const today = new Date();
	if (date.toDateString() === today.toDateString()) return time;
	return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}
