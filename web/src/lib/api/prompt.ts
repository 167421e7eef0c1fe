import { request } from './client';
import type { ApiPath, Quality } from './jobs';

/** The prompt optimizer and its system prompt (spec/API.md §3.4). */

export type TargetLanguage = 'en' | 'zh-CN' | 'same';
export const targetLanguages: readonly TargetLanguage[] = ['en', 'zh-CN', 'same'];

export interface SystemPrompt {
	system_prompt: string;
	default_system_prompt: string;
	/** True when DATA_DIR holds a saved prompt file. */
	customized: boolean;
}

export interface OptimizeRequest {
	prompt: string;
	target_language: TargetLanguage;
	api_path?: ApiPath | null;
	model?: string | null;
	size?: string | null;
	quality?: Quality | null;
}

export interface OptimizeResult {
	optimized_prompt: string;
	model: string;
	duration_ms: number;
}

export function getSystemPrompt(signal?: AbortSignal): Promise<SystemPrompt> {
	return request<SystemPrompt>('/api/prompt/optimizer-system-prompt', { signal });
}

/** Saves the system prompt (the server trims it and refuses an empty one). */
export function saveSystemPrompt(systemPrompt: string): Promise<SystemPrompt> {
	return request<SystemPrompt>('/api/prompt/optimizer-system-prompt', {
		method: 'POST',
		body: { system_prompt: systemPrompt }
	});
}

/** POST /api/prompt/optimize: 400 when not set up, 502 upstream failure, 504 timeout. */
export function optimizePrompt(body: OptimizeRequest, signal?: AbortSignal): Promise<OptimizeResult> {
	return request<OptimizeResult>('/api/prompt/optimize', { method: 'POST', body, signal });
}
