/**
 * Prompt helper tags (spec/API.md §14.2): six categories of English modifiers
 * that a click appends to the prompt. Labels are translated (tags.<id> keys);
 * the value appended is always the English text.
 */

export type TagCategory = 'quality' | 'style' | 'composition' | 'lighting' | 'color' | 'material';

export interface PromptTag {
	/** Key suffix of the label: tags.<id>. */
	id: string;
	value: string;
}

export const tagCategories: readonly TagCategory[] = [
	'quality',
	'style',
	'composition',
	'lighting',
	'color',
	'material'
];

const tag = (value: string): PromptTag => ({ id: value.replace(/\s+/g, '-').toLowerCase(), value });

export const promptTags: Readonly<Record<TagCategory, readonly PromptTag[]>> = {
	quality: ['highly detailed', 'sharp focus', 'professional photography'].map(tag),
	style: ['cinematic', 'watercolor', 'anime', 'oil painting', '3D render'].map(tag),
	composition: ['close-up', 'wide shot', 'rule of thirds', 'symmetrical composition'].map(tag),
	lighting: ['golden hour', 'soft lighting', 'studio lighting', 'rim light'].map(tag),
	color: ['pastel colors', 'monochrome', 'vibrant colors'].map(tag),
	material: ['glass', 'metal', 'wood', 'fabric'].map(tag)
};

/**
 * The §14.2 append rule: null when the value is already one of the prompt's
 * comma-separated parts (trimmed, case-insensitive); else the value alone for a
 * blank prompt, or "<trimmed prompt>, <value>".
 */
export function appendTag(prompt: string, value: string): string | null {
	const wanted = value.trim().toLowerCase();
	const parts = prompt.split(',').map((part) => part.trim().toLowerCase());
	if (parts.includes(wanted)) return null;
	const current = prompt.trim();
	return current === '' ? value : `${current}, ${value}`;
}
