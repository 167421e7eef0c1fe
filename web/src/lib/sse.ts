/**
 * EventSource with named JSON events and its own reconnect policy.
 *
 * The browser's built-in retry stops for good after an HTTP error (for example a
 * 429 or a restart), so every error closes the source and a new one is opened
 * after a backoff: min, 2×min, 4×min … up to max, with ±20 % jitter. A successful
 * open resets the backoff. close() stops everything, including pending retries.
 */

export type EventHandlers<Events> = {
	[Name in keyof Events]?: (data: Events[Name]) => void;
};

export interface StreamOptions {
	onOpen?: () => void;
	/** Called on every lost connection, with the delay before the next attempt. */
	onError?: (retryInMs: number) => void;
	/** Called when an event's data is not valid JSON; the event is dropped. */
	onBadData?: (name: string, raw: string) => void;
	minDelayMs?: number;
	maxDelayMs?: number;
}

export interface EventStream {
	close(): void;
	readonly closed: boolean;
}

export function openEventStream<Events extends Record<string, unknown>>(
	url: string,
	handlers: EventHandlers<Events>,
	options: StreamOptions = {}
): EventStream {
	const minDelay = options.minDelayMs ?? 1000;
	const maxDelay = options.maxDelayMs ?? 30_000;
	let source: EventSource | null = null;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let failures = 0;
	let closed = false;

	const connect = () => {
		timer = null;
		if (closed) {
			return;
		}
		const current = new EventSource(url);
		source = current;
		current.onopen = () => {
			failures = 0;
			options.onOpen?.();
		};
		current.onerror = () => {
			current.close();
			if (closed || source !== current) {
				return;
			}
			source = null;
			const base = Math.min(maxDelay, minDelay * 2 ** failures);
			const delay = Math.round(base * (0.8 + Math.random() * 0.4));
			failures += 1;
			options.onError?.(delay);
			timer = setTimeout(connect, delay);
		};
		for (const name of Object.keys(handlers) as Array<keyof Events & string>) {
			current.addEventListener(name, (event) => {
				const raw = (event as MessageEvent<string>).data;
				let data: Events[typeof name];
				try {
					data = JSON.parse(raw) as Events[typeof name];
				} catch {
					options.onBadData?.(name, raw);
					return;
				}
				handlers[name]?.(data);
			});
		}
	};

	connect();

	return {
		close() {
			closed = true;
			if (timer !== null) {
				clearTimeout(timer);
				timer = null;
			}
			source?.close();
			source = null;
		},
		get closed() {
			return closed;
		}
	};
}
