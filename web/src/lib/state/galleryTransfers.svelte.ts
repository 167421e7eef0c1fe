import { ApiError } from '$lib/api/client';
import { errorText } from '$lib/api/errors';
import type { ExportJob, SyncJob } from '$lib/api/archives';
import { openEventStream, type EventStream } from '$lib/sse';
import { session } from './session.svelte';

/**
 * Long-running gallery operations shown as progress cards: ZIP export (server job,
 * then the download), selection download, import upload and R2 sync. Each card
 * keeps its summary or error until dismissed. The operations themselves live in
 * galleryArchives.svelte.ts and gallerySync.svelte.ts.
 */

export type TransferKind = 'export' | 'download' | 'import' | 'sync';

/**
 * starting:    the first request is on its way
 * server:      the server works (export or sync job); `job` has its status
 * downloading: bytes come to the browser (`loaded` of `total`)
 * uploading:   bytes go to the server (`loaded` of `total`)
 * processing:  the upload is complete, the server checks and stores it
 * done, error: finished; `summary` or `error` says how
 */
export type TransferPhase = 'starting' | 'server' | 'downloading' | 'uploading' | 'processing' | 'done' | 'error';

export interface TransferSummary {
	requested?: number;
	exported?: number;
	missing?: number;
	imported?: number;
	filename?: string;
	/** The archive was handed to the browser's own downloader (too large to hold in the page). */
	handedOff?: boolean;
}

export interface Transfer {
	key: number;
	kind: TransferKind;
	phase: TransferPhase;
	loaded: number;
	total: number | null;
	exportJob: ExportJob | null;
	syncJob: SyncJob | null;
	summary: TransferSummary | null;
	error: string | null;
	/** The HTTP status of a refused start (400/404/429), for the card's wording. */
	status: number | null;
}

class Transfers {
	items = $state<Transfer[]>([]);
	#nextKey = 1;
	#lastProgress = new Map<number, number>();

	add(kind: TransferKind): number {
		const key = this.#nextKey++;
		const item: Transfer = {
			key, kind, phase: 'starting', loaded: 0, total: null,
			exportJob: null, syncJob: null, summary: null, error: null, status: null
		};
		this.items = [item, ...this.items];
		return key;
	}

	get(key: number): Transfer | undefined {
		return this.items.find((i) => i.key === key);
	}

	update(key: number, changes: Partial<Transfer>): void {
		this.items = this.items.map((i) => (i.key === key ? { ...i, ...changes } : i));
	}

	/** Marks a transfer failed with the error's text (a 401 also ends the session). */
	fail(key: number, err: unknown): void {
		if (err instanceof ApiError && err.status === 401) session.expire();
		this.update(key, {
			phase: 'error',
			error: errorText(err),
			status: err instanceof ApiError ? err.status : null
		});
	}

	/** Byte progress, at most ten updates a second (a chunk can be a few kilobytes). */
	progress(key: number, loaded: number, total: number | null, phase?: TransferPhase): void {
		const now = performance.now();
		const last = this.#lastProgress.get(key) ?? -Infinity;
		const item = this.get(key);
		if (item && item.phase === (phase ?? item.phase) && now - last < 100 && loaded !== total) return;
		this.#lastProgress.set(key, now);
		this.update(key, phase ? { loaded, total, phase } : { loaded, total });
	}

	dismiss(key: number): void {
		this.#lastProgress.delete(key);
		this.items = this.items.filter((i) => i.key !== key);
	}

	busy(kind: TransferKind): boolean {
		return this.items.some((i) => i.kind === kind && i.phase !== 'done' && i.phase !== 'error');
	}
}

export const transfers = new Transfers();

/**
 * Follows a server job over SSE until it is finished. After a lost connection the
 * status is read once (a 404 means the job is gone), and the stream reconnects.
 * Resolves with the final status, or rejects with the read's error.
 */
export function followJob<T extends { status: string }>(
	url: string,
	event: string,
	read: () => Promise<T>,
	onUpdate: (job: T) => void
): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		let stream: EventStream | null = null;
		let settled = false;
		const take = (job: T) => {
			if (settled) return;
			onUpdate(job);
			if (job.status === 'success' || job.status === 'error') {
				settled = true;
				stream?.close();
				resolve(job);
			}
		};
		stream = openEventStream<Record<string, T>>(
			url,
			{ [event]: take },
			{
				onError: () => {
					read().then(take, (err: unknown) => {
						if (settled) return;
						if (err instanceof ApiError && (err.status === 404 || err.status === 401)) {
							settled = true;
							stream?.close();
							reject(err);
						}
						// Anything else: the stream keeps retrying.
					});
				}
			}
		);
	});
}
