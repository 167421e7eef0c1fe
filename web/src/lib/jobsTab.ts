import { goto } from '$app/navigation';
import { page } from '$app/state';

/** The job drawer's tab; it lives in the query string as ?jobs=running|history (§14.1). */
export type JobsTab = 'running' | 'history';

export function jobsTab(): JobsTab | null {
	const value = page.url.searchParams.get('jobs');
	return value === 'running' || value === 'history' ? value : null;
}

/** Opens the drawer on a tab, or closes it (null). Other query parameters stay. */
export function setJobsTab(next: JobsTab | null): Promise<void> {
	const url = new URL(page.url);
	if (next) url.searchParams.set('jobs', next);
	else url.searchParams.delete('jobs');
	return goto(url, { replaceState: true, keepFocus: true, noScroll: true });
}
