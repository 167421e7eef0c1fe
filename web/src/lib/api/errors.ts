import { serverText, t } from '$lib/i18n/index.svelte';
import { ApiError } from './client';

/** A failure as one line for a toast: the server's message (translated when known) and status. */
export function errorText(err: unknown): string {
	if (err instanceof ApiError) {
		if (err.status === 0) {
			return t('error.network');
		}
		return t('error.withStatus', { detail: serverText(err.detail), status: err.status });
	}
	return err instanceof Error ? err.message : String(err);
}
