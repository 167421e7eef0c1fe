// Gallery actions against the real panel: batch favorite/download with partial
// success, delete with confirmation and undo, export with progress and a real ZIP,
// delete all and the import of that ZIP, the refresh after a generation, and the
// Sync button's refusal without R2 settings. Tests run in order and share state.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { seedRows, seedZip, transferLog, unlock, waitForTotal, watchTransfers } from './lib/gallery.mjs';
import { startPanel } from './lib/server.mjs';
import { startUpstream } from './lib/upstream.mjs';
import { readZip } from './lib/zip.mjs';

const rows = seedRows(12);

describe('gallery actions', () => {
	/** @type {Awaited<ReturnType<typeof startUpstream>>} */
	let upstream;
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	const expectedFailures = [];
	/** The ZIP saved by the export test, imported again later. */
	let exported = Buffer.alloc(0);

	before(async () => {
		upstream = await startUpstream();
		panel = await startPanel({ env: upstream.panelEnv });
		browser = await launchBrowser();
		page = browser.page;
		await unlock(page, panel.url);
		await page.getByTestId('import-input').setInputFiles({ name: 'seed.zip', mimeType: 'application/zip', buffer: seedZip(rows) });
		await waitForTotal(page, 12);
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
		await upstream?.stop();
	});

	const card = (i) => page.locator(`[data-testid="gallery-card"][data-id="${rows[i].id}"]`);
	const toast = (text) => page.getByRole('status').filter({ hasText: text });
	const select = (i) => card(i).getByRole('checkbox').check();
	const batch = () => page.getByTestId('batch-bar');
	/** Deletes a row behind the UI's back, as another tab or a script would. */
	const deleteBehind = (i) =>
		page.evaluate((id) => fetch(`/api/gallery/${id}`, { method: 'DELETE' }).then((r) => r.status), rows[i].id);

	test('batch download and favorite report what was missing', async () => {
		await select(11);
		await select(10);
		await select(9);
		await page.getByTestId('selected-count').filter({ hasText: '3 selected' }).waitFor();
		await page.screenshot({ path: artifact('gallery-batch-desktop-light'), fullPage: true });
		assert.equal(await deleteBehind(10), 200);

		const download = page.waitForEvent('download');
		await batch().getByRole('button', { name: 'Download ZIP' }).click();
		const file = await download;
		assert.match(file.suggestedFilename(), /^gpt-images-selected.*\.zip$/);
		await toast('with 2 of 3 image(s); 1 missing').waitFor();
		const entries = readZip(await readFile(await file.path()));
		assert.deepEqual(entries.map((e) => e.name).sort(), ['images/seed-09.png', 'images/seed-11.png', 'metadata.json']);
		const metadata = JSON.parse(entries.find((e) => e.name === 'metadata.json').data.toString('utf8'));
		assert.deepEqual(metadata.skipped, [{ id: rows[10].id, reason: 'gallery_entry_missing' }]);

		await batch().getByRole('button', { name: 'Favorite', exact: true }).click();
		await toast('Added 2 of 3 image(s) to favorites; 1 no longer exist.').waitFor();
		await page.getByTestId('selected-count').filter({ hasText: '2 selected' }).waitFor();
		await waitForTotal(page, 11);
		assert.equal(await card(11).getAttribute('data-favorite'), 'true');
		assert.equal(await card(9).getAttribute('data-favorite'), 'true');

		await batch().getByRole('button', { name: 'Unfavorite' }).click();
		await toast('Removed 2 image(s) from favorites.').waitFor();
		assert.equal(await card(11).getAttribute('data-favorite'), 'false');
		await batch().getByRole('button', { name: 'Clear selection' }).click();
		assert.equal(await page.getByTestId('selected-count').count(), 0);

		// Select page toggles every card of the page.
		await page.getByTestId('select-page').check();
		await page.getByTestId('selected-count').filter({ hasText: '11 selected' }).waitFor();
		await page.getByTestId('select-page').uncheck();
		assert.equal(await page.getByTestId('selected-count').count(), 0);
	});

	test('delete asks first, hides the card, and Undo brings it back without a request', async () => {
		const deletes = [];
		page.on('request', (r) => r.method() === 'DELETE' && r.url().includes('/api/gallery') && deletes.push(r.url()));

		// Escape on the confirmation keeps the image.
		await card(8).hover();
		await card(8).getByTestId('delete-image').click();
		const dialog = page.getByTestId('gallery-confirm');
		await dialog.getByText('Delete this image?').waitFor();
		await page.keyboard.press('Escape');
		await dialog.waitFor({ state: 'hidden' });
		assert.equal(await card(8).count(), 1);

		await card(8).getByTestId('delete-image').click();
		await page.screenshot({ path: artifact('gallery-confirm-desktop-light') });
		await page.getByTestId('confirm-yes').click();
		await card(8).waitFor({ state: 'detached' });
		const undoBar = page.getByTestId('undo-bar');
		await undoBar.waitFor();
		assert.match(await undoBar.innerText(), /1 image\(s\) deleted\./);
		await waitForTotal(page, 10);
		assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Undo', 'focus moves to Undo');
		await page.screenshot({ path: artifact('gallery-undo-desktop-light') });
		await page.keyboard.press('Enter');
		await card(8).waitFor();
		await toast('Restored 1 image(s).').waitFor();
		await page.waitForTimeout(5500);
		assert.deepEqual(deletes, [], 'undo sent nothing');
		await waitForTotal(page, 11);

		await card(8).getByTestId('delete-image').click();
		await page.getByTestId('confirm-yes').click();
		await card(8).waitFor({ state: 'detached' });
		const sent = await page.waitForRequest((r) => r.method() === 'DELETE', { timeout: 8000 });
		assert.match(sent.url(), new RegExp(`/api/gallery/${rows[8].id}$`));
		await toast('Deleted 1 image(s).').waitFor();
		await undoBar.waitFor({ state: 'detached' });
		await waitForTotal(page, 10);
		assert.equal(
			await page.evaluate((id) => fetch(`/api/gallery/${id}`).then((r) => r.status), rows[8].id),
			404,
			'the row is gone on the server'
		);
		expectedFailures.push({ path: `/api/gallery/${rows[8].id}`, status: 404 });
	});

	test('a batch delete waits out its undo window, then reports the counts', async () => {
		await select(7);
		await select(6);
		await batch().getByRole('button', { name: 'Delete' }).click();
		await page.getByTestId('gallery-confirm').getByText('Delete 2 image(s)?').waitFor();
		await page.getByTestId('confirm-yes').click();
		await page.getByTestId('undo-bar').filter({ hasText: '2 image(s) deleted.' }).waitFor();
		await page.getByRole('button', { name: 'Undo' }).click();
		await card(7).waitFor();
		await card(6).waitFor();
		await waitForTotal(page, 10);

		await select(7);
		await select(6);
		assert.equal(await deleteBehind(6), 200);
		await batch().getByRole('button', { name: 'Delete' }).click();
		await page.getByTestId('confirm-yes').click();
		const sent = await page.waitForRequest((r) => r.url().endsWith('/api/gallery/batch/delete'), { timeout: 8000 });
		assert.deepEqual(sent.postDataJSON(), { ids: [rows[7].id, rows[6].id] });
		await toast('Deleted 1 of 2 image(s); 1 were already gone.').waitFor();
		await waitForTotal(page, 8);
	});

	test('export: server progress, then a download with transfer progress, and a complete ZIP', async () => {
		await watchTransfers(page);
		const download = page.waitForEvent('download');
		await page.getByRole('button', { name: 'Export' }).click();
		const file = await download;
		const done = page.locator('[data-testid="transfer"][data-kind="export"][data-phase="done"]');
		await done.waitFor();
		assert.match(await done.innerText(), /Saved gpt-images-\d{8}_\d{6}\.zip with 8 image\(s\)\./);
		const log = (await transferLog(page)).filter((e) => e.kind === 'export');
		const phases = log.map((e) => e.phase);
		assert.ok(phases.includes('server'), `the export job was shown: ${phases}`);
		assert.ok(phases.includes('downloading'), `the transfer was shown: ${phases}`);
		assert.ok(phases.indexOf('server') < phases.lastIndexOf('downloading'));
		assert.ok(log.some((e) => e.phase === 'downloading' && /of/.test(e.text)), 'the transfer shows bytes of the total');

		exported = await readFile(await file.path());
		assert.match(file.suggestedFilename(), /^gpt-images-\d{8}_\d{6}\.zip$/);
		const entries = readZip(exported);
		assert.equal(entries.at(-1)?.name, 'metadata.json');
		const metadata = JSON.parse(entries.at(-1).data.toString('utf8'));
		assert.equal(metadata.images.length, 8);
		assert.equal(entries.filter((e) => e.name.startsWith('images/')).length, 8);
		await page.screenshot({ path: artifact('gallery-export-done-desktop-light'), fullPage: true });
	});

	test('delete all needs the typed word; importing the exported ZIP restores the gallery', async () => {
		const prompts = await page.$$eval('[data-testid="card-prompt"]', (els) => els.map((el) => el.getAttribute('title')));
		await page.getByRole('button', { name: 'Delete all' }).click();
		const dialog = page.getByTestId('gallery-confirm');
		const yes = page.getByTestId('confirm-yes');
		assert.equal(await yes.isDisabled(), true);
		await dialog.getByLabel('Type DELETE to confirm').fill('delete');
		assert.equal(await yes.isDisabled(), true, 'the word is case-sensitive');
		await dialog.getByLabel('Type DELETE to confirm').fill('DELETE');
		await yes.click();
		await page.getByText('No images yet').waitFor();

		await watchTransfers(page);
		await page.getByTestId('import-input').setInputFiles({ name: 'export.zip', mimeType: 'application/zip', buffer: exported });
		await toast('Imported 8 image(s).').waitFor();
		await waitForTotal(page, 8);
		const back = await page.$$eval('[data-testid="card-prompt"]', (els) => els.map((el) => el.getAttribute('title')));
		assert.deepEqual(back, prompts, 'the same images in the same order');
		assert.ok((await transferLog(page)).some((e) => e.kind === 'import' && e.phase === 'uploading'));
	});

	test('a finished generation appears in the gallery without a reload', async () => {
		await page.getByLabel('Prompt', { exact: true }).fill('a fresh lighthouse [mock:size=256x256]');
		await page.getByTestId('submit').click();
		await page.locator('[data-testid="card-prompt"][title="a fresh lighthouse [mock:size=256x256]"]').waitFor({ timeout: 30_000 });
		await waitForTotal(page, 9);
	});

	test('Gallery Sync without R2 settings shows the server\'s reason', async () => {
		expectedFailures.push({ path: '/api/gallery/sync-jobs', status: 400 });
		await page.getByRole('button', { name: 'Gallery Sync' }).click();
		const failed = page.locator('[data-testid="transfer"][data-kind="sync"][data-phase="error"]');
		await failed.waitFor();
		assert.match(await failed.innerText(), /R2 backup is disabled.*\(400\)/);
		assert.match(await failed.innerText(), /Check the R2 backup section of the settings/);
		await page.getByRole('alert').filter({ hasText: 'Sync failed: R2 backup is disabled' }).waitFor();
		await page.screenshot({ path: artifact('gallery-sync-refused-desktop-light'), fullPage: true });
	});

	test('no console errors, CSP violations or off-site requests', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
