// Unit tests of web/src/lib/galleryQuery.ts (the gallery query in the page URL and
// in GET /api/gallery, spec/API.md §3.8, §14.1): the file has no imports, so it is
// transpiled with the web app's own TypeScript and loaded.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './lib/server.mjs';

/** @type {typeof import('../../web/src/lib/galleryQuery.ts')} */
let q;
let dir = '';

before(async () => {
	const require = createRequire(join(repoRoot, 'web', 'package.json'));
	const ts = require('typescript');
	const source = await readFile(join(repoRoot, 'web', 'src', 'lib', 'galleryQuery.ts'), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	dir = await mkdtemp(join(tmpdir(), 'panel-gallery-query-'));
	const file = join(dir, 'galleryQuery.mjs');
	await writeFile(file, outputText);
	q = await import(pathToFileURL(file).href);
});

after(async () => {
	await rm(dir, { recursive: true, force: true });
});

describe('gallery query', () => {
	test('reads page and filters from the URL, dropping values the server would refuse', () => {
		const params = new URLSearchParams(
			'page=3&model=%20gpt-image-2%20&preset=Odd&size=auto&date_from=2026-01-05&date_to=2026-02-30&favorite=true&jobs=history'
		);
		assert.deepEqual(q.queryFromUrl(params, 'needle', 12), {
			page: 3,
			pageSize: 12,
			prompt: 'needle',
			model: 'gpt-image-2',
			preset: 'Odd',
			size: 'auto',
			dateFrom: '2026-01-05',
			dateTo: '',
			favorite: 'true'
		});
		const bad = q.queryFromUrl(new URLSearchParams('page=-2&favorite=yes&date_from=01/05/2026'), '', 24);
		assert.equal(bad.page, 1);
		assert.equal(bad.favorite, '');
		assert.equal(bad.dateFrom, '');
		assert.equal(q.queryFromUrl(new URLSearchParams('favorite=false'), '', 24).favorite, 'false');
		assert.equal(q.queryFromUrl(new URLSearchParams(`model=${'m'.repeat(300)}`), '', 24).model.length, 200);
	});

	test('isDate accepts real calendar dates only', () => {
		assert.equal(q.isDate('2024-02-29'), true);
		assert.equal(q.isDate('2026-02-29'), false);
		assert.equal(q.isDate('2026-13-01'), false);
		assert.equal(q.isDate('2026-1-5'), false);
		assert.equal(q.isDate(''), false);
	});

	test('writes the URL without defaults and without the prompt, keeping other parameters', () => {
		const url = new URL('http://127.0.0.1/?jobs=history&page=4&model=old&image=abc');
		const query = { ...q.emptyFilters, page: 1, pageSize: 24, prompt: 'secret words', size: '1024x1024', favorite: 'true' };
		const next = q.urlWithQuery(url, query);
		assert.equal(next.searchParams.get('jobs'), 'history');
		assert.equal(next.searchParams.get('image'), 'abc', 'the lightbox is not the query’s business');
		assert.equal(next.searchParams.has('page'), false);
		assert.equal(next.searchParams.has('model'), false);
		assert.equal(next.searchParams.get('size'), '1024x1024');
		assert.equal(next.searchParams.get('favorite'), 'true');
		assert.equal(next.href.includes('secret'), false, 'the prompt stays out of the address');
		assert.equal(url.searchParams.get('page'), '4', 'the input URL is not changed');
		assert.equal(q.urlWithQuery(url, { ...query, page: 2 }).searchParams.get('page'), '2');
	});

	test('builds the §3.8 query string: trimmed prompt, only set filters, total bytes on request', () => {
		const query = {
			...q.emptyFilters,
			page: 2,
			pageSize: 12,
			prompt: '  alpha  ',
			model: 'gpt-image-1',
			dateFrom: '2026-01-01',
			dateTo: '2026-01-31',
			favorite: 'false'
		};
		assert.equal(
			q.apiParams(query).toString(),
			'page=2&page_size=12&prompt=alpha&model=gpt-image-1&date_from=2026-01-01&date_to=2026-01-31&favorite=false'
		);
		assert.equal(q.apiParams({ ...q.emptyFilters, page: 1, pageSize: 24 }, true).toString(), 'page=1&page_size=24&include_total_bytes=true');
	});

	test('compares queries and filter sets', () => {
		const a = { ...q.emptyFilters, page: 1, pageSize: 24, model: 'x' };
		assert.equal(q.sameQuery(a, { ...a }), true);
		assert.equal(q.sameQuery(a, { ...a, page: 2 }), false);
		assert.equal(q.sameFilters(a, { ...a, page: 2 }), true);
		assert.equal(q.sameFilters(a, { ...a, prompt: ' ' }), true, 'a blank search is no search');
		assert.equal(q.hasFilters(a), true);
		assert.equal(q.hasFilters({ ...q.emptyFilters }), false);
	});
});
