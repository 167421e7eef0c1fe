import type { ApiPath, GenerateBody, Job, OutputFormat, Quality, ResponseFormat } from '$lib/api/jobs';
import { apiPaths } from '$lib/api/jobs';
import { formats, parseCompression, parseQuantity, qualities } from '$lib/params';
import { fallbackDefaults, type PresetDefaults } from '$lib/api/settings';
import {
	findPreset,
	formatSize,
	normalizeSize,
	parseSize,
	presetSize,
	type SizeRatio,
	type SizeTier
} from '$lib/size';

export type SizeMode = 'auto' | 'preset' | 'custom';
export type ResponseChoice = '' | ResponseFormat;

/** The generate form (spec/API.md §14.1): its fields and the request body they make. */
class Composer {
	prompt = $state('');
	apiPath = $state<ApiPath>(fallbackDefaults.apiPath);
	model = $state(fallbackDefaults.model);
	sizeMode = $state<SizeMode>('auto');
	tier = $state<SizeTier>('1K');
	ratio = $state<SizeRatio>('1:1');
	customWidth = $state('1024');
	customHeight = $state('1024');
	/** Set when the last custom size was changed to fit the rules: "1000x1000 → 1008x1008". */
	sizeAdjusted = $state<{ from: string; to: string } | null>(null);
	quality = $state<Quality>('auto');
	outputFormat = $state<OutputFormat>('png');
	compression = $state('');
	quantity = $state('1');
	responseFormat = $state<ResponseChoice>(fallbackDefaults.responseFormat);
	/** True when the user picked a value, so preset changes no longer overwrite it. */
	#edited = { model: false, apiPath: false, responseFormat: false };

	/** Size, quality, format, compression, quantity and response format do nothing here. */
	paramsLocked = $derived(this.apiPath !== '/v1/images/generations');

	size = $derived.by(() => {
		if (this.sizeMode === 'preset') {
			return presetSize(this.tier, this.ratio);
		}
		if (this.sizeMode === 'custom') {
			const fitted = normalizeSize({
				width: Number(this.customWidth),
				height: Number(this.customHeight)
			});
			return fitted ? formatSize(fitted) : null;
		}
		return 'auto';
	});

	applyPreset(defaults: PresetDefaults): void {
		if (!this.#edited.model) this.model = defaults.model;
		if (!this.#edited.apiPath) this.apiPath = defaults.apiPath;
		if (!this.#edited.responseFormat) this.responseFormat = defaults.responseFormat;
	}

	setModel(value: string): void {
		this.model = value;
		this.#edited.model = true;
	}

	setApiPath(value: ApiPath): void {
		this.apiPath = value;
		this.#edited.apiPath = true;
	}

	setResponseFormat(value: ResponseChoice): void {
		this.responseFormat = value;
		this.#edited.responseFormat = true;
	}

	setOutputFormat(value: OutputFormat): void {
		this.outputFormat = value;
		if (value === 'png') this.compression = '';
	}

	/** Rewrites the custom fields to the nearest valid size (on blur). */
	fitCustomSize(): void {
		const width = Number(this.customWidth);
		const height = Number(this.customHeight);
		const fitted = normalizeSize({ width, height });
		if (!fitted) {
			this.sizeAdjusted = null;
			return;
		}
		const from = `${this.customWidth}x${this.customHeight}`;
		const to = formatSize(fitted);
		this.sizeAdjusted = from === to ? null : { from, to };
		this.customWidth = String(fitted.width);
		this.customHeight = String(fitted.height);
	}

	/** The §14.1 body; null when the custom size cannot be made valid. */
	body(): GenerateBody | null {
		if (this.size === null) return null;
		return {
			prompt: this.prompt.trim(),
			size: this.size,
			model: this.model.trim(),
			n: parseQuantity(this.quantity),
			quality: this.quality,
			output_format: this.outputFormat,
			output_compression: this.outputFormat === 'png' ? null : parseCompression(this.compression),
			response_format: this.responseFormat === '' ? null : this.responseFormat,
			api_path: this.apiPath
		};
	}

	/** Reuse: puts a past job's parameters back into the form. */
	fill(job: Job): void {
		this.prompt = job.prompt ?? '';
		if (job.model) this.setModel(job.model);
		if (job.api_path && (apiPaths as readonly string[]).includes(job.api_path)) {
			this.setApiPath(job.api_path as ApiPath);
		}
		this.#fillSize(job.size ?? 'auto');
		if (job.quality && qualities.includes(job.quality)) this.quality = job.quality as Quality;
		if (job.output_format && formats.includes(job.output_format)) {
			this.setOutputFormat(job.output_format as OutputFormat);
		}
		this.compression =
			this.outputFormat === 'png' || job.output_compression == null ? '' : String(job.output_compression);
		this.quantity = String(job.n ?? 1);
		const rf = job.response_format;
		this.setResponseFormat(rf === 'url' || rf === 'b64_json' ? rf : '');
	}

	#fillSize(size: string): void {
		this.sizeAdjusted = null;
		const preset = findPreset(size);
		const dims = parseSize(size);
		if (preset) {
			this.sizeMode = 'preset';
			this.tier = preset.tier;
			this.ratio = preset.ratio;
		} else if (dims) {
			this.sizeMode = 'custom';
			this.customWidth = String(dims.width);
			this.customHeight = String(dims.height);
		} else {
			this.sizeMode = 'auto';
		}
	}
}

export const composer = new Composer();

