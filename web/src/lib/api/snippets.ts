import { ApiError, request } from './client';

/** Prompt snippets (spec/API.md §3.5). */

export interface PromptSnippet {
	id: string;
	title: string;
	prompt: string;
	favorite: boolean;
	created_at: string;
	updated_at: string;
}

export interface NewSnippet {
	title: string;
	prompt: string;
	favorite?: boolean;
}

/** Favorites first, then the most recently updated; `query` matches title or prompt. */
export async function listSnippets(query: string, signal?: AbortSignal): Promise<PromptSnippet[]> {
	const params = query.trim() === '' ? '' : `?${new URLSearchParams({ query: query.trim() })}`;
	const body = await request<{ snippets: PromptSnippet[] }>(`/api/prompt-snippets${params}`, { signal });
	if (!Array.isArray(body?.snippets)) {
		throw new ApiError(200, 'Expected a list of snippets');
	}
	return body.snippets;
}

export function createSnippet(body: NewSnippet): Promise<PromptSnippet> {
	return request<PromptSnippet>('/api/prompt-snippets', { method: 'POST', body });
}

export function updateSnippet(id: string, patch: Partial<NewSnippet>): Promise<PromptSnippet> {
	return request<PromptSnippet>(`/api/prompt-snippets/${encodeURIComponent(id)}`, {
		method: 'PATCH',
		body: patch
	});
}

export function deleteSnippet(id: string): Promise<{ status: string; message: string }> {
	return request(`/api/prompt-snippets/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
