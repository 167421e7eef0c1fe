// Unit tests of web/src/lib/size.ts (spec/API.md §3.6 size rules, §14.3): the file
// has no imports, so it is transpiled with the web app's own TypeScript and loaded.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './lib/server.mjs';

/** @type {typeof import('../../web/src/lib/size.ts')} */
let size;
let dir = '';

before(async () => {
	const require = createRequire(join(repoRoot, 'web', 'package.json'));
	const ts = require('typescript');
	const source = await readFile(join(repoRoot, 'web', 'src', 'lib', 'size.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	dir = await mkdtemp(join(tmpdir(), 'panel-size-'));
	const file = join(dir, 'size.mjs');
	await writeFile(file, outputText);
	size = await import(pathToFileURL(file).href);
});

after(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('size rules', () => {
	test('every preset of the §14.3 table passes the server rules', () => {
		for (const ratio of size.ratios) {
			for (const tier of size.tiers) {
				const dims = size.parseSize(size.presetSize(tier, ratio));
				assert.ok(dims);
				assert.equal(size.sizeProblem(dims), null, `${tier} ${ratio}`);
				assert.deepEqual(size.findPreset(size.formatSize(dims)), { tier, ratio });
			}
		}
		assert.equal(size.presetSize('4K', '16:9'), '3840x2160');
		assert.equal(size.presetSize('1K', '21:9'), '2016x864');
	});

	test('sizeProblem reports the first broken rule, in the server order', () => {
		assert.equal(size.sizeProblem({ width: 1025, height: 1025 }), 'step');
		assert.equal(size.sizeProblem({ width: 4096, height: 2048 }), 'side');
		assert.equal(size.sizeProblem({ width: 0, height: 0 }), 'side');
		assert.equal(size.sizeProblem({ width: 3072, height: 1008 }), 'ratio');
		assert.equal(size.sizeProblem({ width: 512, height: 512 }), 'pixels');
		assert.equal(size.sizeProblem({ width: 1024, height: 1024 }), null);
	});

	test('tierOf tiers arbitrary sizes by the longest side', () => {
		assert.equal(size.tierOf({ width: 1536, height: 864 }), '1K');
		assert.equal(size.tierOf({ width: 1552, height: 864 }), '2K');
		assert.equal(size.tierOf({ width: 3072, height: 1024 }), '2K');
		assert.equal(size.tierOf({ width: 3840, height: 2160 }), '4K');
	});

	test('parseSize accepts WxH with either x and nothing else', () => {
		assert.deepEqual(size.parseSize('1536X864'), { width: 1536, height: 864 });
		assert.equal(size.parseSize('auto'), null);
		assert.equal(size.parseSize('12x'), null);
		assert.equal(size.parseSize('-16x16'), null);
	});
});

describe('normalizeSize', () => {
	const fit = (width, height) => size.normalizeSize({ width, height });

	test('valid sizes stay as they are', () => {
		assert.deepEqual(fit(1024, 1024), { width: 1024, height: 1024 });
		assert.deepEqual(fit(3840, 2160), { width: 3840, height: 2160 });
	});

	test('sides are rounded to the nearest multiple of 16', () => {
		assert.deepEqual(fit(1000, 1000), { width: 1008, height: 1008 });
		assert.deepEqual(fit(1025, 1031), { width: 1024, height: 1024 });
	});

	test('a long side over 3840 scales both sides down', () => {
		assert.deepEqual(fit(7680, 4320), { width: 3840, height: 2160 });
	});

	test('the aspect ratio is cut to 3:1', () => {
		assert.deepEqual(fit(3600, 1008), { width: 3024, height: 1008 });
		assert.deepEqual(fit(1008, 3600), { width: 1008, height: 3024 });
	});

	test('too few pixels grow, too many shrink, keeping the shape', () => {
		const small = fit(512, 512);
		assert.ok(small);
		assert.equal(small.width, small.height);
		assert.ok(small.width * small.height >= size.MIN_PIXELS);
		const big = fit(3840, 3840);
		assert.ok(big);
		assert.equal(big.width, big.height);
		assert.ok(big.width * big.height <= size.MAX_PIXELS);
		assert.equal(size.sizeProblem(big), null);
	});

	test('extreme inputs still end valid, nonsense gives null', () => {
		for (const [w, h] of [[1, 1], [16, 4000], [99999, 3], [3, 99999], [777, 333], [3839, 1]]) {
			const fitted = fit(w, h);
			assert.ok(fitted, `${w}x${h}`);
			assert.equal(size.sizeProblem(fitted), null, `${w}x${h} -> ${size.formatSize(fitted)}`);
		}
		assert.equal(fit(0, 1024), null);
		assert.equal(fit(Number.NaN, 1024), null);
		assert.equal(fit(-5, 1024), null);
	});
});
