// Screenshots of the gate and the unlocked shell at desktop and phone widths, in
// both themes, saved to tests/e2e/artifacts/ for people to look at. Each shot
// also checks the layout: nothing wider than the screen, regions in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';

const sizes = { desktop: DESKTOP, phone: PHONE };
const schemes = /** @type {const} */ (['light', 'dark']);

describe('screens', () => {
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	const expectedFailures = [{ path: '/api/access', status: 401 }];

	before(async () => {
		panel = await startPanel();
		browser = await launchBrowser();
		page = browser.page;
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
	});

	/** Sets size and scheme, reloads, waits for `ready`, checks overflow, saves a shot. */
	async function shoot(name, size, scheme, ready) {
		await page.setViewportSize(sizes[size]);
		await page.emulateMedia({ colorScheme: scheme });
		await page.goto(panel.url);
		await ready();
		assert.equal(
			await page.evaluate(() => document.documentElement.dataset.theme),
			scheme,
			'theme follows the system'
		);
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - window.innerWidth
		);
		assert.ok(overflow <= 0, `${name} ${size}: ${overflow}px wider than the viewport`);
		await page.screenshot({ path: artifact(`${name}-${size}-${scheme}`), fullPage: true });
	}

	test('gate', async () => {
		for (const size of Object.keys(sizes)) {
			for (const scheme of schemes) {
				await shoot('gate', size, scheme, () =>
					page.getByRole('heading', { name: 'Unlock the panel' }).waitFor()
				);
			}
		}
	});

	test('gate with an error', async () => {
		await page.setViewportSize(PHONE);
		await page.getByLabel('Access key').fill('nope');
		await page.getByRole('button', { name: 'Unlock' }).click();
		await page.getByRole('alert').filter({ hasText: 'Invalid access key' }).waitFor();
		await page.screenshot({ path: artifact('gate-error-phone-dark') });
	});

	test('unlocked shell', async () => {
		await page.getByLabel('Access key').fill(ACCESS_KEY);
		await page.getByRole('button', { name: 'Unlock' }).click();
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
		for (const size of Object.keys(sizes)) {
			for (const scheme of schemes) {
				await shoot('shell', size, scheme, async () => {
					await page.getByTestId('version').waitFor();
				});
				const boxes = await Promise.all(
					['compose', 'preview', 'gallery'].map((id) =>
						page.locator(`[data-region="${id}"]`).boundingBox()
					)
				);
				const [compose, preview, gallery] = boxes.map((box) => {
					assert.ok(box, 'region rendered');
					return box;
				});
				if (size === 'desktop') {
					assert.ok(compose.x < preview.x, 'compose left of preview');
					assert.equal(Math.round(compose.y), Math.round(preview.y));
				} else {
					assert.ok(compose.y < preview.y, 'compose above preview');
				}
				assert.ok(preview.y + preview.height <= gallery.y, 'gallery below preview');
			}
		}
	});

	test('unlocked shell in Chinese', async () => {
		await page.setViewportSize(DESKTOP);
		await page.emulateMedia({ colorScheme: 'light' });
		await page.getByLabel('Language').selectOption('zh');
		await page.getByRole('heading', { name: '图库' }).waitFor();
		await page.screenshot({ path: artifact('shell-zh-desktop-light') });
		await page.getByLabel('语言').selectOption('en');
	});

	test('nothing went wrong in the browser along the way', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
