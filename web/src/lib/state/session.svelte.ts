import { getAccessStatus, unlock } from '$lib/api/access';
import { ApiError, setUnauthorizedHandler } from '$lib/api/client';

/**
 * checking: asking the server whether this browser has a session
 * locked:   the access gate is shown
 * open:     the panel is usable
 * offline:  the status check itself failed (server down, network)
 */
export type SessionPhase = 'checking' | 'locked' | 'open' | 'offline';

/** setTimeout cannot wait longer than about 24.8 days. */
const maxTimerMs = 2 ** 31 - 1;

/** Access-gate state (spec/API.md §2.5, §3.2). */
class Session {
	phase = $state<SessionPhase>('checking');
	/** UTC ISO expiry of the cookie; null when the server runs without a key. */
	expiresAt = $state<string | null>(null);
	/** True when the gate is shown because a session ran out, not on first visit. */
	expired = $state(false);
	/** Why the status check failed (offline phase). */
	problem = $state<ApiError | null>(null);
	#expiryTimer: ReturnType<typeof setTimeout> | null = null;

	constructor() {
		setUnauthorizedHandler(() => this.expire());
	}

	/** Asks the server for the current state; used at start and on retry. */
	async check(): Promise<void> {
		try {
			const status = await getAccessStatus();
			this.problem = null;
			if (status.authenticated) {
				this.#open(status.expires_at);
			} else {
				this.#lock();
			}
		} catch (err) {
			this.problem = err instanceof ApiError ? err : new ApiError(0, String(err));
			this.phase = 'offline';
		}
	}

	/** Sends the key. Throws ApiError (401 wrong key, 429 lockout, …) for the gate to show. */
	async unlock(accessKey: string): Promise<void> {
		const status = await unlock(accessKey);
		this.expired = false;
		this.#open(status.expires_at);
	}

	/** Any API call answered 401: the cookie is gone or stale. */
	expire(): void {
		if (this.phase === 'open') {
			this.expired = true;
		}
		this.#lock();
	}

	#open(expiresAt: string | null): void {
		this.expiresAt = expiresAt;
		this.phase = 'open';
		this.#scheduleRecheck();
	}

	#lock(): void {
		this.#clearTimer();
		this.expiresAt = null;
		this.phase = 'locked';
	}

	/** When the cookie runs out, ask the server again so the gate appears on time. */
	#scheduleRecheck(): void {
		this.#clearTimer();
		if (!this.expiresAt) {
			return;
		}
		const wait = Date.parse(this.expiresAt) - Date.now();
		if (Number.isNaN(wait)) {
			return;
		}
		this.#expiryTimer = setTimeout(
			() => {
				void this.#recheck();
			},
			Math.min(Math.max(wait + 1000, 1000), maxTimerMs)
		);
	}

	async #recheck(): Promise<void> {
		try {
			const status = await getAccessStatus();
			if (status.authenticated) {
				this.#open(status.expires_at);
			} else {
				this.expire();
			}
		} catch {
			// Keep the panel open; the next API call will tell if the session is gone.
		}
	}

	#clearTimer(): void {
		if (this.#expiryTimer !== null) {
			clearTimeout(this.#expiryTimer);
			this.#expiryTimer = null;
		}
	}
}

export const session = new Session();
