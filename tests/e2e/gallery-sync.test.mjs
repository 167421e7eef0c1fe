// The Gallery Sync button against a real S3 server (s3rver on HTTPS, tests/s3): the
// 404 of an empty gallery, a progress bar, then the summary; a second sync uploads
// only what is new; a start refused while another sync runs shows the 429 reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { noisePng, seedRows, seedZip, transferLog, unlock, waitForTotal, watchTransfers } from './lib/gallery.mjs';
import { startS3 } from './lib/s3.mjs';
import { startPanel } from './lib/server.mjs';

const rows = seedRows(8);
const first = rows.slice(0, 6);
const later = rows.slice(6);

describe('gallery sync', () => {
	/** @type {Awaited<ReturnType<typeof startS3>>} */
	let s3;
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	const expectedFailures = [];

	before(async () => {
		s3 = await startS3();
		panel = await startPanel({ env: s3.panelEnv });
		browser = await launchBrowser();
		page = browser.page;
		await unlock(page, panel.url);
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
		await s3?.stop();
	});

	const syncCard = (phase) => page.locator(`[data-testid="transfer"][data-kind="sync"][data-phase="${phase}"]`);
	const summary = async (card) =>
		Object.fromEntries(
			await card.getByTestId('sync-summary').locator('div').evaluateAll((items) =>
				items.map((item) => [item.querySelector('dt')?.textContent?.trim(), item.querySelector('dd')?.textContent?.trim()])
			)
		);

	test('a sync of an empty gallery is refused with the 404 reason', async () => {
		await page.getByText('No images yet').waitFor();
		expectedFailures.push({ path: '/api/gallery/sync-jobs', status: 404 });
		await page.getByRole('button', { name: 'Gallery Sync' }).click();
		const refused = syncCard('error');
		await refused.waitFor();
		assert.match(await refused.innerText(), /No images in gallery \(404\)/);
		await refused.getByRole('button', { name: 'Dismiss' }).click();
		await page.getByTestId('import-input').setInputFiles({ name: 'seed.zip', mimeType: 'application/zip', buffer: seedZip(first) });
		await waitForTotal(page, 6);
	});

	test('a first sync uploads every image and shows the summary', async () => {
		await watchTransfers(page);
		await page.getByRole('button', { name: 'Gallery Sync' }).click();
		const done = syncCard('done');
		await done.waitFor({ timeout: 30_000 });
		const counts = await summary(done);
		assert.equal(counts.uploaded, '6');
		assert.equal(counts['already there'], '0');
		assert.equal(counts.failed, '0');
		assert.match(counts.bytes ?? '', /\d/);
		await page.getByRole('status').filter({ hasText: 'Sync complete: 6 uploaded, 0 already there, 0 failed' }).waitFor();
		const log = (await transferLog(page)).filter((e) => e.kind === 'sync');
		assert.ok(log.some((e) => e.phase === 'server' && e.percent !== null), 'a progress bar with a percentage was shown');
		assert.deepEqual(await s3.keys(), first.map((r) => `gallery/${r.filename}`).sort());
		await page.screenshot({ path: artifact('gallery-sync-done-desktop-light'), fullPage: true });
		await done.getByRole('button', { name: 'Dismiss' }).click();
	});

	test('a second sync uploads only the new images', async () => {
		await page.getByTestId('import-input').setInputFiles({ name: 'more.zip', mimeType: 'application/zip', buffer: seedZip(later) });
		await waitForTotal(page, 8);
		await page.getByRole('button', { name: 'Gallery Sync' }).click();
		const done = syncCard('done');
		await done.waitFor({ timeout: 30_000 });
		const counts = await summary(done);
		assert.equal(counts.uploaded, '2');
		assert.equal(counts['already there'], '6');
		assert.deepEqual(await s3.keys(), rows.map((r) => `gallery/${r.filename}`).sort());
		await done.getByRole('button', { name: 'Dismiss' }).click();
	});

	test('a sync refused because another one is running shows the 429 reason', async () => {
		// Three large new images keep the next sync busy for a while.
		const big = seedRows(11).slice(8).map((row) => ({ ...row, filename: `big-${row.filename}`, image_width: 1200, image_height: 1200 }));
		// Large files go to the file input by path: a buffer would travel through the DevTools protocol.
		const dir = await mkdtemp(join(tmpdir(), 'panel-e2e-big-'));
		const zip = join(dir, 'big.zip');
		await writeFile(zip, seedZip(big, (row) => noisePng(row.image_width, row.image_height)));
		await page.getByTestId('import-input').setInputFiles(zip);
		await rm(dir, { recursive: true, force: true });
		await waitForTotal(page, 11);
		expectedFailures.push({ path: '/api/gallery/sync-jobs', status: 429 });
		// A script starts a sync; the button is pressed right after its 202.
		const started = await page.evaluate(async () => {
			const response = await fetch('/api/gallery/sync-jobs', { method: 'POST' });
			const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Gallery Sync');
			button?.click();
			return { status: response.status, job: await response.json() };
		});
		assert.equal(started.status, 202);
		const refused = syncCard('error');
		await refused.waitFor();
		assert.match(await refused.innerText(), /A gallery R2 sync job is already queued or running\. \(429\)/);
		await page.screenshot({ path: artifact('gallery-sync-refused-429-desktop-light'), fullPage: true });

		// The script's sync carries on and uploads the three.
		await page.waitForFunction(
			(id) => fetch(`/api/gallery/sync-jobs/${id}`).then((r) => r.json()).then((j) => j.status === 'success'),
			started.job.job_id,
			{ timeout: 60_000, polling: 500 }
		);
		assert.equal((await s3.keys()).length, 11);
	});

	test('no console errors, CSP violations or off-site requests', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
