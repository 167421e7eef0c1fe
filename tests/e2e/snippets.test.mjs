// The tools around the prompt, end to end against the real panel: the helper tags
// and their duplicate rule (spec §14.2), the Optimize button against a mock Chat
// Completions optimizer on HTTPS (§3.4, §6.10), configured from the settings
// drawer, and the snippets drawer (§3.5). Tests run in order and share one panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { OPTIMIZER_MODEL, startOptimizer } from './lib/optimizer.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';
import { loadWebModule } from './lib/tsmodule.mjs';

const OPTIMIZER_KEY = 'optimizer-e2e-key';

describe('prompt tools and snippets', () => {
	/** @type {Awaited<ReturnType<typeof startOptimizer>>} */
	let optimizer;
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	/** HTTP failures the tests provoke on purpose. */
	const expectedFailures = [];

	before(async () => {
		optimizer = await startOptimizer();
		// The image API is never called here; a saved preset needs some base URL.
		panel = await startPanel({
			env: { ...optimizer.panelEnv, OPT_KEY: OPTIMIZER_KEY, DEFAULT_API_URL: 'https://127.0.0.1:9' }
		});
		browser = await launchBrowser();
		page = browser.page;
		await page.goto(panel.url);
		await page.getByLabel('Access key').fill(ACCESS_KEY);
		await page.getByRole('button', { name: 'Unlock' }).click();
		await prompt().waitFor();
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
		await optimizer?.stop();
	});

	const prompt = () => page.locator('#prompt');
	const tag = (value) => page.locator(`[data-testid="prompt-tags"] [data-tag="${value}"]`);
	const optimizeError = () => page.getByTestId('optimize-error');
	const snippetsDrawer = () => page.getByTestId('snippets-drawer');
	const snippetItems = () => snippetsDrawer().getByTestId('snippet');

	async function optimize() {
		const answered = page.waitForResponse((r) => r.url().endsWith('/api/prompt/optimize'));
		await page.getByTestId('optimize').click();
		return answered;
	}

	test('helper tags append a modifier once: the duplicate rule', async () => {
		await page.getByTestId('tags-toggle').click();
		await page.getByTestId('prompt-tags').waitFor();
		await page.getByRole('button', { name: 'Style', exact: true }).click();
		await tag('cinematic').click();
		assert.equal(await prompt().inputValue(), 'cinematic', 'a blank prompt becomes the value');

		await prompt().fill('A cat,  CINEMATIC ');
		await tag('cinematic').click();
		await page.getByRole('status').filter({ hasText: 'Tag already exists' }).waitFor();
		assert.equal(await prompt().inputValue(), 'A cat,  CINEMATIC ', 'a duplicate changes nothing');

		await prompt().fill('cinematic light ');
		await tag('cinematic').click();
		assert.equal(await prompt().inputValue(), 'cinematic light, cinematic', 'only whole parts count');

		await page.getByRole('button', { name: 'Lighting', exact: true }).click();
		await tag('golden hour').click();
		assert.equal(await prompt().inputValue(), 'cinematic light, cinematic, golden hour');
		await page.screenshot({ path: artifact('prompt-tags-desktop-light') });
	});

	test('without the optimizer enabled, Optimize explains why and opens the settings', async () => {
		await prompt().fill('a red fox');
		expectedFailures.push({ path: '/api/prompt/optimize', status: 400 });
		const answer = await optimize();
		assert.equal(answer.status(), 400);
		await optimizeError().waitFor();
		assert.equal(await optimizeError().getAttribute('data-status'), '400');
		assert.match(await optimizeError().innerText(), /not enabled/);
		assert.equal(await prompt().inputValue(), 'a red fox');

		// Configure it from the drawer: an env-ref key and the mock's URL.
		await optimizeError().getByRole('button', { name: 'Open settings' }).click();
		const drawer = page.getByTestId('settings-drawer');
		await drawer.getByTestId('optimizer-settings').waitFor();
		await drawer.getByLabel('Enable the Optimize button').check();
		await drawer.locator('#optimizer-url').fill(optimizer.url);
		await drawer.locator('#optimizer-timeout').fill('2');
		await drawer.locator('#optimizer-key').fill('${OPT_KEY}');
		await drawer.getByTestId('settings-save').click();
		await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();
		const current = drawer.getByTestId('optimizer-settings').getByTestId('secret-current');
		assert.match(await current.innerText(), /\$\{OPT_KEY\}/);
		await page.keyboard.press('Escape');
		await drawer.waitFor({ state: 'hidden' });
	});

	test('Optimize sends the prompt and parameters, shows progress, and can be undone or kept', async () => {
		await page.getByLabel('Rewrite in').selectOption('zh-CN');
		const original = 'a red fox in snow [opt:delay=1200]';
		await prompt().fill(original);
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/prompt/optimize'));
		await page.getByTestId('optimize').click();
		const body = (await sent).postDataJSON();
		assert.deepEqual(body, {
			prompt: original,
			target_language: 'zh-CN',
			api_path: '/v1/images/generations',
			model: 'gpt-image-2',
			size: 'auto',
			quality: 'auto'
		});
		await page.getByTestId('optimize-progress').waitFor();
		assert.equal(await page.getByTestId('optimize').getAttribute('data-running'), 'true');
		assert.equal(await prompt().getAttribute('readonly'), '', 'the prompt is read-only meanwhile');
		await page.screenshot({ path: artifact('optimizer-running-desktop-light') });

		const result = page.getByTestId('optimize-result');
		await result.waitFor();
		assert.equal(await prompt().inputValue(), 'Optimized: a red fox in snow', 'fences stripped, answer in place');
		assert.match(await result.innerText(), new RegExp(OPTIMIZER_MODEL));
		await page.screenshot({ path: artifact('optimizer-result-desktop-light') });

		const seen = optimizer.requests.at(-1);
		assert.equal(seen.authorization, `Bearer ${OPTIMIZER_KEY}`, 'the env ref was resolved by the server');
		const user = seen.body.messages.find((m) => m.role === 'user').content;
		assert.match(user, /^Target language: zh-CN$/m);
		assert.match(user, /^Image model: gpt-image-2$/m);

		await page.getByTestId('optimize-undo').click();
		assert.equal(await prompt().inputValue(), original);
		assert.equal(await result.count(), 0);

		await prompt().fill('a quiet harbor');
		await optimize();
		await result.waitFor();
		await page.getByTestId('optimize-keep').click();
		assert.equal(await result.count(), 0);
		assert.equal(await prompt().inputValue(), 'Optimized: a quiet harbor');
	});

	test('upstream failures (502), timeouts (504) and Cancel leave the prompt alone', async () => {
		await prompt().fill('a broken idea [opt:status=500]');
		expectedFailures.push({ path: '/api/prompt/optimize', status: 502 });
		assert.equal((await optimize()).status(), 502);
		await page.locator('[data-testid="optimize-error"][data-status="502"]').waitFor();
		assert.match(await optimizeError().innerText(), /optimizer service failed: Optimizer upstream returned HTTP 500/);
		assert.equal(await prompt().inputValue(), 'a broken idea [opt:status=500]');
		await page.screenshot({ path: artifact('optimizer-502-desktop-light') });

		await prompt().fill('a slow idea [opt:delay=5000]');
		expectedFailures.push({ path: '/api/prompt/optimize', status: 504 });
		assert.equal((await optimize()).status(), 504);
		await page.locator('[data-testid="optimize-error"][data-status="504"]').waitFor();
		assert.match(await optimizeError().innerText(), /did not answer in time: Prompt optimizer request timed out/);
		assert.equal(await prompt().inputValue(), 'a slow idea [opt:delay=5000]');

		await optimizeError().getByRole('button', { name: 'Dismiss' }).click();
		assert.equal(await optimizeError().count(), 0);

		await prompt().fill('never mind [opt:delay=1500]');
		await page.getByTestId('optimize').click();
		await page.getByTestId('optimize-progress').waitFor();
		await page.getByTestId('optimize').click();
		await page.getByTestId('optimize-progress').waitFor({ state: 'hidden' });
		assert.equal(await optimizeError().count(), 0, 'a cancel is not an error');
		assert.equal(await prompt().inputValue(), 'never mind [opt:delay=1500]');
		assert.equal(await prompt().getAttribute('readonly'), null);
	});

	test('snippets: save the current prompt, search, favorite, use and delete', async () => {
		await prompt().fill('a lighthouse at dusk');
		await page.locator('#snippets-button').click();
		await snippetsDrawer().waitFor();
		await snippetsDrawer().getByTestId('snippets-empty').waitFor();
		assert.equal(await page.locator('#snippet-prompt').inputValue(), 'a lighthouse at dusk', 'starts from the form');

		await snippetsDrawer().getByTestId('snippet-save').click();
		await snippetsDrawer().getByRole('alert').filter({ hasText: 'Enter a title.' }).waitFor();
		await page.locator('#snippet-title').fill('Lighthouse');
		await snippetsDrawer().getByTestId('snippet-save').click();
		await snippetItems().first().waitFor();

		await page.locator('#snippet-title').fill('Forest');
		await page.locator('#snippet-prompt').fill('misty forest at dawn');
		await snippetsDrawer().getByTestId('snippet-save').click();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="snippet"]').length === 2);
		assert.deepEqual(await snippetItems().getByTestId('snippet-title').allInnerTexts(), ['Forest', 'Lighthouse']);

		// Search: typing fast sends one request for the whole word, not one per key.
		const searches = [];
		const onRequest = (r) => r.url().includes('/api/prompt-snippets?') && searches.push(new URL(r.url()).searchParams.get('query'));
		page.on('request', onRequest);
		await page.locator('#snippet-search').pressSequentially('light', { delay: 20 });
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="snippet"]').length === 1);
		page.off('request', onRequest);
		assert.equal(searches.at(-1), 'light');
		assert.ok(searches.length <= 2, `debounced: ${JSON.stringify(searches)}`);
		assert.deepEqual(await snippetItems().getByTestId('snippet-title').allInnerTexts(), ['Lighthouse']);

		await page.locator('#snippet-search').fill('nothing like this');
		await snippetsDrawer().getByText('No snippet matches “nothing like this”.').waitFor();
		await page.locator('#snippet-search').fill('');
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="snippet"]').length === 2);

		// Favorite: the older one moves to the top.
		const lighthouse = snippetItems().filter({ hasText: 'Lighthouse' });
		await lighthouse.getByTestId('snippet-favorite').click();
		await page.locator('[data-testid="snippet"][data-favorite="true"]').waitFor();
		await page.waitForFunction(
			() => document.querySelector('[data-testid="snippet"]')?.getAttribute('data-favorite') === 'true'
		);
		assert.deepEqual(await snippetItems().getByTestId('snippet-title').allInnerTexts(), ['Lighthouse', 'Forest']);
		assert.equal(await lighthouse.getByTestId('snippet-favorite').getAttribute('aria-pressed'), 'true');
		await page.screenshot({ path: artifact('snippets-desktop-light') });

		// Use: replaces the prompt, closes the drawer, puts the cursor in the prompt.
		await snippetItems().filter({ hasText: 'Forest' }).getByRole('button', { name: 'Use' }).click();
		await snippetsDrawer().waitFor({ state: 'hidden' });
		assert.equal(await prompt().inputValue(), 'misty forest at dawn');
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'prompt');

		// Delete, after a question; the answer survives a reload.
		await page.locator('#snippets-button').click();
		const forest = snippetItems().filter({ hasText: 'Forest' });
		await forest.getByRole('button', { name: 'Delete', exact: true }).click();
		const question = forest.getByRole('alertdialog');
		await question.waitFor();
		assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Keep');
		await question.getByRole('button', { name: 'Delete snippet' }).click();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="snippet"]').length === 1);
		await page.keyboard.press('Escape');
		await snippetsDrawer().waitFor({ state: 'hidden' });
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'snippets-button', 'focus returns to the opener');

		await page.reload();
		await prompt().waitFor();
		await page.locator('#snippets-button').click();
		await page.locator('[data-testid="snippet"][data-favorite="true"]').waitFor();
		assert.deepEqual(await snippetItems().getByTestId('snippet-title').allInnerTexts(), ['Lighthouse']);
	});

	test('phone layout of the snippets drawer and the prompt tools', async () => {
		await page.setViewportSize(PHONE);
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.screenshot({ path: artifact('snippets-phone-dark') });
		const box = await snippetsDrawer().boundingBox();
		assert.ok(box && box.width <= PHONE.width, 'the drawer fits the screen');
		await page.keyboard.press('Escape');
		await snippetsDrawer().waitFor({ state: 'hidden' });
		await page.getByTestId('prompt-tags').waitFor();
		const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(scroll <= PHONE.width, `no sideways scrolling (${scroll}px)`);
		await page.screenshot({ path: artifact('prompt-tools-phone-dark') });
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

describe('the helper tag rule (web/src/lib/promptTags.ts)', () => {
	/** @type {typeof import('../../web/src/lib/promptTags.ts')} */
	let tags;
	let cleanup = async () => {};

	before(async () => {
		({ module: tags, cleanup } = await loadWebModule('lib/promptTags.ts'));
	});

	after(() => cleanup());

	test('§14.2: blank prompt, append, duplicates by trimmed case-insensitive part', () => {
		assert.equal(tags.appendTag('', 'cinematic'), 'cinematic');
		assert.equal(tags.appendTag('   ', 'cinematic'), 'cinematic');
		assert.equal(tags.appendTag('  a cat  ', 'cinematic'), 'a cat, cinematic');
		assert.equal(tags.appendTag('a cat, Cinematic', 'cinematic'), null);
		assert.equal(tags.appendTag('a cat,cinematic ,x', ' CINEMATIC '), null);
		assert.equal(tags.appendTag('a cinematic cat', 'cinematic'), 'a cinematic cat, cinematic');
	});

	test('six categories in the §14.2 order, each with English values and unique label keys', () => {
		assert.deepEqual(tags.tagCategories, ['quality', 'style', 'composition', 'lighting', 'color', 'material']);
		const ids = new Set();
		for (const category of tags.tagCategories) {
			assert.ok(tags.promptTags[category].length > 0, category);
			for (const tag of tags.promptTags[category]) {
				assert.match(tag.value, /^[A-Za-z0-9 -]+$/);
				assert.ok(!ids.has(tag.id), `duplicate id ${tag.id}`);
				ids.add(tag.id);
			}
		}
	});
});
