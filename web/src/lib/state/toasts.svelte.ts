/** Short-lived notifications, shown by the Toasts component in a polite live region. */
export type ToastKind = 'info' | 'success' | 'error';

export interface Toast {
	id: number;
	kind: ToastKind;
	message: string;
}

const lifetimeMs: Record<ToastKind, number> = { info: 5000, success: 4000, error: 8000 };
const maxVisible = 4;

class Toasts {
	items = $state<Toast[]>([]);
	#nextId = 1;
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	show(kind: ToastKind, message: string): number {
		const id = this.#nextId++;
		this.items = [...this.items, { id, kind, message }].slice(-maxVisible);
		this.#timers.set(
			id,
			setTimeout(() => this.dismiss(id), lifetimeMs[kind])
		);
		return id;
	}

	info(message: string): number {
		return this.show('info', message);
	}

	success(message: string): number {
		return this.show('success', message);
	}

	error(message: string): number {
		return this.show('error', message);
	}

	dismiss(id: number): void {
		const timer = this.#timers.get(id);
		if (timer !== undefined) {
			clearTimeout(timer);
			this.#timers.delete(id);
		}
		this.items = this.items.filter((toast) => toast.id !== id);
	}
}

export const toasts = new Toasts();
