/**
 * Image sizes (spec/API.md §3.6 size rules, §14.3 size modes). Pure functions with
 * no imports, so the unit tests can load this file on its own.
 */

export const SIZE_STEP = 16;
export const MAX_SIDE = 3840;
export const MAX_RATIO = 3;
export const MIN_PIXELS = 655_360;
export const MAX_PIXELS = 8_294_400;

export type SizeTier = '1K' | '2K' | '4K';
export type SizeRatio = '1:1' | '4:3' | '3:4' | '16:9' | '9:16' | '21:9';

export const tiers: readonly SizeTier[] = ['1K', '2K', '4K'];
export const ratios: readonly SizeRatio[] = ['1:1', '4:3', '3:4', '16:9', '9:16', '21:9'];

/** The ratio presets of §14.3, as [width, height]. */
export const presetTable: Readonly<Record<SizeRatio, Record<SizeTier, [number, number]>>> = {
	'1:1': { '1K': [1024, 1024], '2K': [2048, 2048], '4K': [2880, 2880] },
	'4:3': { '1K': [1024, 768], '2K': [2048, 1536], '4K': [3312, 2480] },
	'3:4': { '1K': [768, 1024], '2K': [1536, 2048], '4K': [2480, 3312] },
	'16:9': { '1K': [1536, 864], '2K': [2048, 1152], '4K': [3840, 2160] },
	'9:16': { '1K': [864, 1536], '2K': [1152, 2048], '4K': [2160, 3840] },
	'21:9': { '1K': [2016, 864], '2K': [2688, 1152], '4K': [3840, 1648] }
};

export interface Dimensions {
	width: number;
	height: number;
}

export function formatSize({ width, height }: Dimensions): string {
	return `${width}x${height}`;
}

/** "1024x768" (either x) → dimensions; anything else (including "auto") → null. */
export function parseSize(size: string): Dimensions | null {
	const match = /^\s*(\d{1,6})\s*[xX]\s*(\d{1,6})\s*$/.exec(size);
	if (!match) {
		return null;
	}
	return { width: Number(match[1]), height: Number(match[2]) };
}

export function presetSize(tier: SizeTier, ratio: SizeRatio): string {
	const [width, height] = presetTable[ratio][tier];
	return formatSize({ width, height });
}

/** The preset a size string belongs to, if it is one of the table's entries. */
export function findPreset(size: string): { tier: SizeTier; ratio: SizeRatio } | null {
	for (const ratio of ratios) {
		for (const tier of tiers) {
			if (presetSize(tier, ratio) === size) {
				return { tier, ratio };
			}
		}
	}
	return null;
}

/** Tier of an arbitrary size by its longest side: ≤1536 → 1K, ≤3072 → 2K, else 4K. */
export function tierOf({ width, height }: Dimensions): SizeTier {
	const longest = Math.max(width, height);
	return longest <= 1536 ? '1K' : longest <= 3072 ? '2K' : '4K';
}

export type SizeProblem = 'step' | 'side' | 'ratio' | 'pixels';

/** The server's rules in its order; the first one broken, or null when the size is valid. */
export function sizeProblem({ width, height }: Dimensions): SizeProblem | null {
	if (!Number.isInteger(width) || !Number.isInteger(height)) {
		return 'step';
	}
	if (width % SIZE_STEP !== 0 || height % SIZE_STEP !== 0) {
		return 'step';
	}
	if (width <= 0 || height <= 0 || Math.max(width, height) > MAX_SIDE) {
		return 'side';
	}
	if (Math.max(width, height) / Math.min(width, height) > MAX_RATIO) {
		return 'ratio';
	}
	const pixels = width * height;
	if (pixels < MIN_PIXELS || pixels > MAX_PIXELS) {
		return 'pixels';
	}
	return null;
}

const roundStep = (v: number) => Math.max(SIZE_STEP, Math.round(v / SIZE_STEP) * SIZE_STEP);
const floorStep = (v: number) => Math.max(SIZE_STEP, Math.floor(v / SIZE_STEP) * SIZE_STEP);
const ceilStep = (v: number) => Math.max(SIZE_STEP, Math.ceil(v / SIZE_STEP) * SIZE_STEP);

/**
 * The nearest valid size (§14.3 proposal): sides rounded to multiples of 16, the
 * long side capped at 3840, the aspect ratio cut to 3:1, and the area scaled into
 * 655 360..8 294 400 keeping the shape. Returns null for non-positive or non-finite input.
 */
export function normalizeSize(input: Dimensions): Dimensions | null {
	if (!Number.isFinite(input.width) || !Number.isFinite(input.height)) {
		return null;
	}
	if (input.width <= 0 || input.height <= 0) {
		return null;
	}
	let w = roundStep(input.width);
	let h = roundStep(input.height);
	for (let pass = 0; pass < 8 && sizeProblem({ width: w, height: h }) !== null; pass++) {
		const longest = Math.max(w, h);
		if (longest > MAX_SIDE) {
			const scale = MAX_SIDE / longest;
			w = floorStep(w * scale);
			h = floorStep(h * scale);
		}
		if (w > MAX_RATIO * h) {
			w = MAX_RATIO * h;
		} else if (h > MAX_RATIO * w) {
			h = MAX_RATIO * w;
		}
		const pixels = w * h;
		if (pixels > MAX_PIXELS) {
			const scale = Math.sqrt(MAX_PIXELS / pixels);
			w = floorStep(w * scale);
			h = floorStep(h * scale);
		} else if (pixels < MIN_PIXELS) {
			const scale = Math.sqrt(MIN_PIXELS / pixels);
			w = ceilStep(w * scale);
			h = ceilStep(h * scale);
		}
	}
	return sizeProblem({ width: w, height: h }) === null ? { width: w, height: h } : null;
}
