// Language and theme switches: they change what the user sees at once and are
// remembered across reloads.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';

describe('preferences', () => {
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;

	before(async () => {
		panel = await startPanel();
		browser = await launchBrowser({ colorScheme: 'light' });
		page = browser.page;
		await page.goto(panel.url);
		await page.getByLabel('Access key').fill(ACCESS_KEY);
		await page.getByRole('button', { name: 'Unlock' }).click();
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
	});

	const htmlAttr = (name) => page.evaluate((n) => document.documentElement.getAttribute(n), name);
	const canvas = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

	test('the language switch shows Chinese, survives a reload, and switches back', async () => {
		assert.equal(await htmlAttr('lang'), 'en');
		await page.getByLabel('Language').selectOption('zh');
		await page.getByRole('heading', { name: '图库' }).waitFor();
		await page.getByText('还没有图片').waitFor();
		assert.equal(await htmlAttr('lang'), 'zh-CN');
		assert.equal(await page.getByRole('heading', { name: 'Gallery' }).count(), 0);

		await page.reload();
		await page.getByRole('heading', { name: '创作' }).waitFor();
		assert.equal(await htmlAttr('lang'), 'zh-CN');

		await page.getByLabel('语言').selectOption('en');
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
		assert.equal(await htmlAttr('lang'), 'en');
		await page.reload();
		await page.getByRole('heading', { name: 'Compose' }).waitFor();
		assert.equal(await htmlAttr('lang'), 'en');
	});

	test('the gate speaks the chosen language too', async () => {
		await page.getByLabel('Language').selectOption('zh');
		await browser.context.clearCookies();
		await page.reload();
		await page.getByRole('heading', { name: '解锁面板' }).waitFor();
		await page.getByLabel('访问密钥').fill(ACCESS_KEY);
		await page.getByRole('button', { name: '解锁' }).click();
		await page.getByRole('heading', { name: '图库' }).waitFor();
		await page.getByLabel('语言').selectOption('en');
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
	});

	test('the theme switch cycles system, light and dark, and is remembered', async () => {
		const toggle = page.getByRole('button', { name: /^Theme:/ });
		assert.equal(await toggle.getAttribute('aria-label'), 'Theme: System. Switch to Light');
		assert.equal(await htmlAttr('data-theme'), 'light');
		assert.equal(await canvas(), 'rgb(250, 250, 249)');

		await toggle.click();
		assert.equal(await toggle.getAttribute('aria-label'), 'Theme: Light. Switch to Dark');
		await toggle.click();
		assert.equal(await htmlAttr('data-theme'), 'dark');
		assert.equal(await canvas(), 'rgb(9, 9, 11)');

		await page.reload();
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
		assert.equal(await htmlAttr('data-theme'), 'dark');
		assert.equal(await toggle.getAttribute('aria-label'), 'Theme: Dark. Switch to System');

		// Back to "system": the page follows the operating system live.
		await toggle.click();
		assert.equal(await htmlAttr('data-theme'), 'light');
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
		assert.equal(await canvas(), 'rgb(9, 9, 11)');
		await page.emulateMedia({ colorScheme: 'light' });
		await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
	});

	test('every control can be reached with the keyboard', async () => {
		await page.reload();
		await page.getByRole('heading', { name: 'Gallery' }).waitFor();
		const reached = [];
		for (let i = 0; i < 6; i += 1) {
			await page.keyboard.press('Tab');
			reached.push(
				await page.evaluate(() => {
					const el = document.activeElement;
					return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
				})
			);
		}
		assert.ok(reached.includes('Skip to main content'), reached.join(' | '));
		assert.ok(reached.some((r) => r.startsWith('Theme:')), reached.join(' | '));
		assert.ok(reached.some((r) => r.includes('English')), reached.join(' | '));

		// The focused control shows the accent focus ring.
		await page.getByRole('button', { name: /^Theme:/ }).focus();
		const ring = await page.evaluate(() => {
			const style = getComputedStyle(/** @type {Element} */ (document.activeElement));
			return `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
		});
		assert.equal(ring, 'solid 2px rgb(5, 150, 105)');
	});

	test('nothing went wrong in the browser along the way', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
