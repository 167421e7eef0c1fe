/**
 * localStorage that never throws (private windows, disabled storage, quota).
 * Keys are namespaced so the panel does not collide with other apps on the origin.
 */
const prefix = 'image-panel.';

export function readPref(key: string): string | null {
	try {
		return globalThis.localStorage?.getItem(prefix + key) ?? null;
	} catch {
		return null;
	}
}

export function writePref(key: string, value: string): void {
	try {
		globalThis.localStorage?.setItem(prefix + key, value);
	} catch {
		// Preferences are a convenience: without storage they last for this page only.
	}
}
