// The gallery grid, its filters and pages in the URL, and the lightbox, against the
// real panel. The gallery is seeded by importing a ZIP through the UI (30 images,
// see lib/gallery.mjs). Tests run in order and share one panel and one browser.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { cardPrompts, seedRows, seedZip, transferLog, unlock, waitForTotal, watchTransfers } from './lib/gallery.mjs';
import { startPanel } from './lib/server.mjs';

const rows = seedRows(30);

/** The panel's byte format (web/src/lib/transfer.ts formatBytes). */
function formatBytes(bytes) {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(unit === 0 || value >= 100 ? 0 : 1)} ${units[unit]}`;
}
const idOf = (i) => rows[i].id;

describe('gallery', () => {
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	const expectedFailures = [];

	before(async () => {
		panel = await startPanel();
		browser = await launchBrowser();
		page = browser.page;
		await unlock(page, panel.url);
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
	});

	const url = () => new URL(page.url());
	const lightbox = () => page.getByTestId('lightbox');
	const cards = () => page.getByTestId('gallery-card');
	/** The gallery's filter bar (the compose form has its own "Model" and "Size"). */
	const filters = () => page.getByRole('search', { name: 'Gallery filters' });

	test('an empty gallery says so; an imported ZIP fills it, with upload progress and a result', async () => {
		await page.getByText('No images yet').waitFor();
		await page.screenshot({ path: artifact('gallery-empty-desktop-light'), fullPage: true });

		await watchTransfers(page);
		await page.getByTestId('import-input').setInputFiles({ name: 'seed.zip', mimeType: 'application/zip', buffer: seedZip(rows) });
		const card = page.locator('[data-testid="transfer"][data-kind="import"]');
		await card.and(page.locator('[data-phase="done"]')).waitFor();
		assert.match(await card.innerText(), /Imported 30 image\(s\) from seed\.zip/);
		await page.getByRole('status').filter({ hasText: 'Imported 30 image(s).' }).waitFor();
		const phases = (await transferLog(page)).filter((e) => e.kind === 'import').map((e) => e.phase);
		assert.ok(phases.includes('uploading'), `upload progress was shown: ${phases}`);
		assert.equal(phases.at(-1), 'done');

		await waitForTotal(page, 30);
		assert.equal(await cards().count(), 24, 'the default page holds 24');
		assert.deepEqual((await cardPrompts(page)).slice(0, 2), [rows[29].prompt, rows[28].prompt], 'newest first');
		// Thumbnails are lazy and sit in square boxes that do not move when they load.
		const thumb = page.getByTestId('gallery-thumb').first();
		assert.equal(await thumb.getAttribute('loading'), 'lazy');
		assert.match((await thumb.getAttribute('src')) ?? '', /^\/api\/thumb\//);
		const before = await cards().first().boundingBox();
		await page.waitForFunction(() => {
			const img = document.querySelector('[data-testid="gallery-thumb"]');
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
		});
		assert.deepEqual(await cards().first().boundingBox(), before, 'no layout shift when the thumbnail arrives');
		await page.screenshot({ path: artifact('gallery-grid-desktop-light'), fullPage: true });
	});

	test('the total size is asked for on demand and follows the filters', async () => {
		const asked = page.waitForRequest((r) => r.url().includes('include_total_bytes=true'));
		await page.getByRole('button', { name: 'Show total size' }).click();
		const listed = new URL((await asked).url());
		const answer = await page.evaluate((query) => fetch(`/api/gallery?${query}`).then((r) => r.json()), listed.searchParams.toString());
		assert.ok(answer.total_bytes > 0, 'the server adds up the imported files');
		const shown = await page.getByTestId('gallery-total-bytes').innerText();
		assert.equal(shown, `Total size ${formatBytes(answer.total_bytes)}`);

		await filters().getByLabel('Model').selectOption('gpt-image-2');
		await waitForTotal(page, 20);
		assert.equal(await page.getByTestId('gallery-total-bytes').count(), 0, 'another filter set needs a new sum');
		await page.getByRole('button', { name: 'Show total size' }).waitFor();
		await filters().getByLabel('Model').selectOption('');
		await waitForTotal(page, 30);
	});

	test('an archive the server refuses shows its reason', async () => {
		expectedFailures.push({ path: '/api/import', status: 400 });
		await page.getByTestId('import-input').setInputFiles({ name: 'not-a.zip', mimeType: 'application/zip', buffer: Buffer.from('no zip here') });
		const failed = page.locator('[data-testid="transfer"][data-kind="import"][data-phase="error"]');
		await failed.waitFor();
		assert.match(await failed.innerText(), /Import file must be a valid ZIP \(400\)/);
		await failed.getByRole('button', { name: 'Dismiss' }).click();
		await failed.waitFor({ state: 'detached' });
	});

	test('filters narrow the grid, live in the URL and survive a reload', async () => {
		const listed = page.waitForRequest((r) => r.url().includes('/api/gallery?') && r.url().includes('model=gpt-image-1'));
		await filters().getByLabel('Model').selectOption('gpt-image-1');
		await listed;
		await waitForTotal(page, 10);
		assert.equal(url().searchParams.get('model'), 'gpt-image-1');

		// The prompt search waits for the typing to stop, then asks once.
		const searched = [];
		page.on('request', (r) => r.url().includes('/api/gallery?') && r.url().includes('prompt=') && searched.push(r.url()));
		await page.getByTestId('gallery-search').pressSequentially('needle', { delay: 30 });
		await waitForTotal(page, 4);
		assert.equal(searched.length, 1, `one request for the whole word: ${searched}`);
		assert.equal(url().searchParams.get('prompt'), null, 'prompts stay out of the address');
		assert.deepEqual(await cardPrompts(page), ['alpha needle 9', 'alpha needle 6', 'alpha needle 3', 'alpha needle 0']);

		await page.reload();
		await waitForTotal(page, 4);
		assert.equal(await page.getByTestId('gallery-search').inputValue(), 'needle');
		assert.equal(await filters().getByLabel('Model').inputValue(), 'gpt-image-1');

		await page.getByTestId('gallery-search').fill('');
		await page.getByTestId('gallery-search').press('Enter');
		await waitForTotal(page, 10);
		await filters().getByLabel('Favorites only').check();
		await waitForTotal(page, 3);
		assert.equal(url().searchParams.get('favorite'), 'true');
		assert.ok((await cards().evaluateAll((els) => els.every((el) => el.dataset.favorite === 'true'))));

		await filters().getByLabel('Favorites only').uncheck();
		await filters().getByLabel('From').fill('2026-01-05');
		await filters().getByLabel('To').fill('2026-01-09');
		await waitForTotal(page, 5);
		assert.equal(url().searchParams.get('date_from'), '2026-01-05');
		assert.equal(url().searchParams.get('date_to'), '2026-01-09');
		await filters().getByLabel('API preset').selectOption('Odd');
		await waitForTotal(page, 2);

		// Back undoes one filter change at a time.
		await page.goBack();
		await waitForTotal(page, 5);
		assert.equal(url().searchParams.get('preset'), null);

		await filters().getByLabel('Size').selectOption('auto');
		await waitForTotal(page, 1);
		await page.screenshot({ path: artifact('gallery-filtered-desktop-light'), fullPage: true });
		await filters().getByRole('button', { name: 'Clear filters' }).click();
		await waitForTotal(page, 30);
		for (const name of ['model', 'date_from', 'date_to', 'size', 'favorite']) {
			assert.equal(url().searchParams.get(name), null, `${name} is cleared`);
		}

		await page.getByTestId('gallery-search').fill('zzz-nothing');
		await page.getByTestId('gallery-search').press('Enter');
		await page.getByText('No images match these filters').waitFor();
		await filters().getByRole('button', { name: 'Clear filters' }).click();
		await waitForTotal(page, 30);
	});

	test('pages: a direct jump, next and previous, Back, a reload, and a page past the end', async () => {
		await page.getByLabel('Per page').selectOption('12');
		await page.waitForFunction(() => document.querySelector('[data-testid="page-of"]')?.textContent === 'of 3');
		assert.equal(await cards().count(), 12);

		await page.getByTestId('page-input').fill('3');
		await page.getByTestId('page-go').click();
		await page.waitForURL(/[?&]page=3/);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-card"]').length === 6);
		assert.deepEqual(await cardPrompts(page), rows.slice(0, 6).reverse().map((r) => r.prompt));
		assert.equal(await page.getByTestId('page-next').isDisabled(), true);

		await page.getByTestId('page-prev').click();
		await page.waitForURL(/[?&]page=2/);
		await page.goBack();
		await page.waitForURL(/[?&]page=3/);
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-card"]').length === 6);

		await page.reload();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-card"]').length === 6);
		assert.equal(await page.getByTestId('page-input').inputValue(), '3');

		const far = new URL(page.url());
		far.searchParams.set('page', '99');
		await page.goto(far.href);
		await page.waitForURL(/[?&]page=3(&|$)/);
		assert.equal(await page.getByTestId('page-input').inputValue(), '3');

		await page.getByTestId('page-input').fill('1');
		await page.getByTestId('page-input').press('Enter');
		await page.waitForURL((u) => !u.searchParams.has('page'));
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="gallery-card"]').length === 12);
		assert.deepEqual((await cardPrompts(page)).slice(0, 1), [rows[29].prompt]);
	});

	test('lightbox: arrow keys step across pages, Escape closes and returns focus, the URL reopens it', async () => {
		// Page 1 holds 29..18; its last card is row 18.
		await page.locator(`[data-gallery-open="${idOf(18)}"]`).click();
		await lightbox().waitFor();
		assert.equal(url().searchParams.get('image'), idOf(18));
		assert.equal(await page.getByTestId('lightbox-position').innerText(), 'Image 12 of 30');
		assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'lightbox');

		await page.keyboard.press('ArrowRight');
		await page.waitForURL((u) => u.searchParams.get('image') === idOf(17) && u.searchParams.get('page') === '2');
		assert.equal(await page.getByTestId('lightbox-prompt').innerText(), rows[17].prompt);
		assert.equal(await page.getByTestId('lightbox-position').innerText(), 'Image 13 of 30');
		await page.keyboard.press('ArrowLeft');
		await page.waitForURL((u) => u.searchParams.get('image') === idOf(18) && !u.searchParams.has('page'));
		await page.keyboard.press('ArrowLeft');
		await page.waitForURL((u) => u.searchParams.get('image') === idOf(19));
		await page.waitForFunction(() => {
			const img = document.querySelector('[data-testid="lightbox-image"]');
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
		});
		await page.screenshot({ path: artifact('gallery-lightbox-desktop-light') });

		// Tab stays inside.
		for (let i = 0; i < 16; i++) {
			await page.keyboard.press('Tab');
			assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="lightbox"]')));
		}

		await page.reload();
		await lightbox().waitFor();
		assert.equal(await page.getByTestId('lightbox-prompt').innerText(), rows[19].prompt);
		await page.keyboard.press('Escape');
		await lightbox().waitFor({ state: 'detached' });
		assert.equal(url().searchParams.get('image'), null);
		await page.waitForFunction((id) => document.activeElement?.getAttribute('data-gallery-open') === id, idOf(19));

		// Opened from the page, Back closes it again.
		await page.locator(`[data-gallery-open="${idOf(25)}"]`).click();
		await lightbox().waitFor();
		await page.goBack();
		await lightbox().waitFor({ state: 'detached' });

		// An image that is not on the shown page is read by id; there is nothing to step to.
		const direct = new URL(page.url());
		direct.searchParams.set('image', idOf(0));
		await page.goto(direct.href);
		await lightbox().waitFor();
		assert.equal(await page.getByTestId('lightbox-prompt').innerText(), rows[0].prompt);
		assert.equal(await page.getByTestId('lightbox-next').isDisabled(), true);
		await page.getByTestId('lightbox-close').click();
		await lightbox().waitFor({ state: 'detached' });

		expectedFailures.push({ path: '/api/gallery/00000000-0000-4000-8000-000000000000', status: 404 });
		direct.searchParams.set('image', '00000000-0000-4000-8000-000000000000');
		await page.goto(direct.href);
		await page.getByText('This image is no longer in the gallery.').waitFor();
		await page.keyboard.press('Escape');
		await lightbox().waitFor({ state: 'detached' });
	});

	test('lightbox actions: use prompt, use all, edit this image, copy, download, favorite', async () => {
		await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: panel.url });
		const row = rows[21];
		await page.locator(`[data-gallery-open="${row.id}"]`).click();
		await lightbox().waitFor();

		await lightbox().getByRole('button', { name: 'Copy prompt' }).click();
		await page.getByRole('status').filter({ hasText: 'Prompt copied to the clipboard.' }).waitFor();
		assert.equal(await page.evaluate(() => navigator.clipboard.readText()), row.prompt);
		await lightbox().getByRole('button', { name: 'Copy image URL' }).click();
		await page.getByRole('status').filter({ hasText: 'Image URL copied' }).waitFor();
		const copied = await page.evaluate(() => navigator.clipboard.readText());
		assert.match(copied, new RegExp(`^${panel.url}/api/image/`));
		assert.equal(await page.evaluate((u) => fetch(u).then((r) => r.status), copied), 200, 'the copied URL serves the image');

		const download = page.waitForEvent('download');
		await page.getByTestId('lightbox-download').click();
		const file = await download;
		assert.match(file.suggestedFilename(), /^gpt-image-\d{8}_\d{6}\.png$/);

		const favorite = page.getByTestId('lightbox-favorite');
		const wasFavorite = (await favorite.getAttribute('aria-pressed')) === 'true';
		await favorite.click();
		await page.waitForFunction(
			([id, value]) => document.querySelector(`[data-testid="gallery-card"][data-id="${id}"]`)?.getAttribute('data-favorite') === value,
			[row.id, String(!wasFavorite)]
		);

		await page.getByLabel('Prompt', { exact: true }).fill('');
		await lightbox().getByRole('button', { name: 'Use all' }).click();
		await lightbox().waitFor({ state: 'detached' });
		assert.equal(await page.getByLabel('Prompt', { exact: true }).inputValue(), row.prompt);
		assert.equal(await page.locator('#model').inputValue(), row.model);
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt', 'focus lands in the prompt field');

		await page.locator(`[data-gallery-open="${row.id}"]`).click();
		await lightbox().getByRole('button', { name: 'Edit this image' }).click();
		await lightbox().waitFor({ state: 'detached' });
		await page.getByTestId('gallery-source').waitFor();
		assert.match(await page.getByTestId('submit').innerText(), /Edit with 1 source/);
		await page.getByRole('button', { name: 'Remove the gallery image' }).click();
	});

	test('screens: grid and lightbox at phone width, both themes', async () => {
		for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
			for (const scheme of ['light', 'dark']) {
				await page.setViewportSize(viewport);
				await page.emulateMedia({ colorScheme: scheme });
				await page.goto(new URL('/', panel.url).href);
				await waitForTotal(page, 30);
				const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				assert.ok(overflow <= 0, `${size} ${scheme}: ${overflow}px wider than the screen`);
				await page.locator('[data-region="gallery"]').screenshot({ path: artifact(`gallery-${size}-${scheme}`) });
				await page.locator(`[data-gallery-open="${idOf(29)}"]`).click();
				await lightbox().waitFor();
				await page.waitForFunction(() => {
					const img = document.querySelector('[data-testid="lightbox-image"]');
					return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
				});
				await page.screenshot({ path: artifact(`gallery-lightbox-${size}-${scheme}`) });
				await page.keyboard.press('Escape');
				await lightbox().waitFor({ state: 'detached' });
			}
		}
		await page.setViewportSize(DESKTOP);
		await page.emulateMedia({ colorScheme: 'light' });
	});

	test('no console errors, CSP violations or off-site requests', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
