// Generation and edit jobs end to end: the real panel against the real mock
// upstream (docs/mock-upstream.md), driven through the workbench UI. Tests run in
// order and share one browser profile and one panel.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, DESKTOP, artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { makePng } from './lib/png.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';
import { startUpstream } from './lib/upstream.mjs';

const JOB_TIMEOUT = 30_000;
/** Small images keep the mock and the panel fast. */
const SMALL = '[mock:size=256x256]';

describe('jobs', () => {
	/** @type {Awaited<ReturnType<typeof startUpstream>>} */
	let upstream;
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	/** HTTP failures the tests provoke on purpose (a GET /api/settings 404 is tolerated globally). */
	const expectedFailures = [];

	before(async () => {
		upstream = await startUpstream();
		panel = await startPanel({ env: upstream.panelEnv });
		browser = await launchBrowser();
		page = browser.page;
		await page.goto(panel.url);
		await page.getByLabel('Access key').fill(ACCESS_KEY);
		await page.getByRole('button', { name: 'Unlock' }).click();
		await page.getByLabel('Prompt', { exact: true }).waitFor();
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
		await upstream?.stop();
	});

	const preview = () => page.getByTestId('preview');
	const submit = () => page.getByTestId('submit');
	const drawer = () => page.getByTestId('jobs-drawer');

	/** Waits until the preview shows a job in one of `states`. */
	async function previewStatus(...states) {
		const selector = states.map((s) => `[data-testid="preview"][data-status="${s}"]`).join(', ');
		await page.locator(selector).waitFor({ timeout: JOB_TIMEOUT });
		return preview().getAttribute('data-status');
	}

	async function openHistory() {
		await page.locator('#jobs-button').click();
		await drawer().waitFor();
		await page.getByRole('tab', { name: 'History' }).click();
		await page.waitForURL(/[?&]jobs=history/);
	}

	async function closeDrawer() {
		await page.keyboard.press('Escape');
		await drawer().waitFor({ state: 'hidden' });
	}

	test('a generation of n=2 shows two results and lands in the history', async () => {
		await page.getByLabel('Prompt', { exact: true }).fill(`a lighthouse at dusk ${SMALL}`);
		await page.getByLabel('Quantity').fill('2');
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/generate') && r.method() === 'POST');
		await page.getByLabel('Prompt', { exact: true }).press('Control+Enter');
		const body = (await sent).postDataJSON();
		assert.deepEqual(Object.keys(body).sort(), [
			'api_path', 'model', 'n', 'output_compression', 'output_format', 'prompt', 'quality', 'response_format', 'size'
		]);
		assert.equal(body.n, 2);
		assert.equal(body.size, 'auto');
		assert.equal(body.output_compression, null);
		assert.equal(body.api_path, '/v1/images/generations');

		assert.equal(await previewStatus('success', 'error', 'upstream_error'), 'success');
		assert.equal(await page.getByTestId('result-thumb').count(), 2);
		const main = page.getByTestId('result-main');
		assert.match((await main.getAttribute('src')) ?? '', /^\/api\/image\//);
		await page.waitForFunction(() => {
			const img = document.querySelector('[data-testid="result-main"]');
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
		});
		await page.getByTestId('result-thumb').nth(1).click();
		await page.screenshot({ path: artifact('jobs-result-desktop-light'), fullPage: true });

		const stats = await upstream.stats();
		assert.ok((stats.endpoints['images/generations'] ?? 0) >= 1, 'the mock saw the generation');

		await openHistory();
		const card = drawer().locator('[data-testid="job-card"][data-status="success"]').first();
		await card.waitFor();
		assert.match(await card.innerText(), /a lighthouse at dusk/);
		await page.screenshot({ path: artifact('jobs-history-desktop-light') });
		await closeDrawer();
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'jobs-button', 'focus returns to the opener');
		assert.doesNotMatch(page.url(), /jobs=/);
	});

	test('a slow job can be cancelled', async () => {
		await page.getByLabel('Quantity').fill('1');
		await page.getByLabel('Prompt', { exact: true }).fill(`a slow one [mock:delay=5000] ${SMALL}`);
		await submit().click();
		const cancel = preview().getByRole('button', { name: 'Cancel' });
		await cancel.waitFor();
		assert.match(await page.getByTestId('elapsed').innerText(), /\d+\.\d s/);
		await page.screenshot({ path: artifact('jobs-running-desktop-light') });
		await cancel.click();
		assert.equal(await previewStatus('cancelled', 'success'), 'cancelled');
		assert.equal(await page.getByTestId('stage').innerText(), 'Cancelled');
		assert.equal(await cancel.count(), 0);
	});

	test('an edit with an uploaded PNG succeeds', async () => {
		const png = makePng(64, 64);
		await page.getByTestId('source-input').setInputFiles({
			name: 'source.png',
			mimeType: 'image/png',
			buffer: png
		});
		await page.getByTestId('local-source').waitFor();
		assert.match(await submit().innerText(), /Edit with 1 source/);
		assert.equal(await page.getByLabel('API path').isDisabled(), true);
		await page.getByLabel('Prompt', { exact: true }).fill(`make it blue ${SMALL}`);
		// Chromium does not hand blob-backed request bodies (a FormData with a File) to
		// the DevTools protocol, so request.postData()/postDataBuffer() are null here
		// (microsoft/playwright#24077). Record the body at the fetch boundary instead and
		// encode it with the browser's own multipart encoder.
		await page.evaluate(() => {
			const w = /** @type {any} */ (window);
			w.__e2eEditBodies = [];
			const original = w.__e2eOriginalFetch ?? window.fetch;
			w.__e2eOriginalFetch = original;
			window.fetch = async (input, init) => {
				const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
				if (/\/api\/edits(\/|$)/.test(url) && init?.body instanceof FormData) {
					const encoded = new Response(init.body);
					const bytes = new Uint8Array(await encoded.arrayBuffer());
					w.__e2eEditBodies.push({
						url,
						contentType: encoded.headers.get('content-type'),
						raw: Array.from(bytes, (b) => String.fromCharCode(b)).join('')
					});
				}
				return original.call(window, input, init);
			};
		});
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/edits') && r.method() === 'POST');
		await submit().click();
		const request = await sent;
		assert.match(request.headers()['content-type'] ?? '', /^multipart\/form-data/);
		const bodies = await page.evaluate(() => {
			const w = /** @type {any} */ (window);
			window.fetch = w.__e2eOriginalFetch;
			return w.__e2eEditBodies;
		});
		assert.equal(bodies.length, 1, 'one edit request went out');
		assert.match(bodies[0].contentType ?? '', /^multipart\/form-data/);
		const raw = request.postDataBuffer()?.toString('latin1') || bodies[0].raw;
		assert.match(raw, /name="image"; filename="source.png"/);
		assert.match(raw, /Content-Type: image\/png\r\n\r\n\x89PNG/);
		assert.doesNotMatch(raw, /name="api_path"/);
		assert.doesNotMatch(raw, /name="output_compression"/, 'null fields are left out');

		assert.equal(await previewStatus('success', 'error', 'upstream_error'), 'success');
		assert.ok((await page.getByTestId('result-main').count()) === 1);
		const stats = await upstream.stats();
		assert.ok((stats.endpoints['images/edits'] ?? 0) >= 1, 'the mock saw the edit');
		const forwarded = stats.last_request;
		assert.equal(forwarded.endpoint, 'images/edits');
		assert.deepEqual(
			forwarded.body.files.map((f) => [f.filename, f.content_type, f.bytes]),
			[['source.png', 'image/png', png.length]],
			'the uploaded PNG reached the upstream whole'
		);
		await page.screenshot({ path: artifact('jobs-edit-desktop-light'), fullPage: true });

		await page.getByRole('button', { name: 'Clear all' }).click();
		assert.equal(await page.getByTestId('local-source').count(), 0);
		assert.match(await submit().innerText(), /Generate/);
	});

	test('an upstream failure shows the error', async () => {
		await page.getByLabel('Prompt', { exact: true }).fill(`this fails [mock:status=500] ${SMALL}`);
		await submit().click();
		const status = await previewStatus('upstream_error', 'error', 'success');
		assert.ok(status === 'upstream_error' || status === 'error', `status ${status}`);
		const error = page.getByTestId('job-error');
		await error.waitFor();
		assert.ok((await error.innerText()).trim().length > 0, 'the error text is shown');
		await page.screenshot({ path: artifact('jobs-error-desktop-light'), fullPage: true });
	});

	test('errors only shows just the failed job; reuse fills the form; clear empties the history', async () => {
		await openHistory();
		await drawer().getByTestId('job-card').first().waitFor();
		assert.ok((await drawer().getByTestId('job-card').count()) >= 3);
		await drawer().getByLabel('Errors only').check();
		await page.waitForFunction(() => {
			const cards = [...document.querySelectorAll('[data-testid="jobs-drawer"] [data-testid="job-card"]')];
			return cards.length > 0 && cards.every((c) => ['error', 'upstream_error'].includes(c.getAttribute('data-status') ?? ''));
		});
		assert.equal(await drawer().getByTestId('job-card').count(), 1);
		await page.screenshot({ path: artifact('jobs-errors-only-desktop-light') });

		// Focus stays inside the drawer however far one tabs.
		for (let i = 0; i < 12; i++) {
			await page.keyboard.press('Tab');
			assert.ok(await page.evaluate(() => !!document.activeElement?.closest('[data-testid="jobs-drawer"]')));
		}

		await page.getByLabel('Prompt', { exact: true }).fill('');
		await drawer().getByRole('button', { name: 'Reuse' }).first().click();
		await drawer().waitFor({ state: 'hidden' });
		assert.match(await page.getByLabel('Prompt', { exact: true }).inputValue(), /this fails \[mock:status=500\]/);

		await openHistory();
		await drawer().getByLabel('Errors only').uncheck();
		await drawer().getByRole('button', { name: 'Clear history' }).click();
		await drawer().getByRole('button', { name: 'Delete history' }).click();
		await drawer().getByText('No jobs yet.').waitFor();
		await closeDrawer();
	});

	test('custom sizes are normalised before they are sent', async () => {
		await page.getByText('Custom', { exact: true }).click();
		await page.getByLabel('Width').fill('1000');
		await page.getByLabel('Height').fill('1000');
		await page.getByLabel('Height').press('Tab');
		assert.equal(await page.getByTestId('size-value').innerText(), '1008x1008');
		await page.getByTestId('size-adjusted').waitFor();
		assert.equal(await page.getByLabel('Width').inputValue(), '1008');

		await page.getByLabel('Width').fill('9000');
		await page.getByLabel('Height').fill('1000');
		await page.getByLabel('Width').press('Tab');
		const size = await page.getByTestId('size-value').innerText();
		const [w, h] = size.split('x').map(Number);
		assert.ok(w % 16 === 0 && h % 16 === 0 && Math.max(w, h) <= 3840 && w / h <= 3, size);

		await page.getByText('Preset', { exact: true }).click();
		await page.getByLabel('Resolution').selectOption('4K');
		await page.getByLabel('Aspect ratio').selectOption('16:9');
		assert.equal(await page.getByTestId('size-value').innerText(), '3840x2160');

		await page.getByLabel('Prompt', { exact: true }).fill(`a wide view ${SMALL}`);
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/generate') && r.method() === 'POST');
		await submit().click();
		assert.equal((await sent).postDataJSON().size, '3840x2160');
		await previewStatus('success', 'error', 'upstream_error');
	});

	test('other API paths lock the image parameters; phone layout', async () => {
		await page.getByLabel('API path').selectOption('/v1/responses');
		assert.equal(await page.getByLabel('Quality').isDisabled(), true);
		assert.equal(await page.getByLabel('Quantity').isDisabled(), true);
		await page.getByLabel('API path').selectOption('/v1/images/generations');
		assert.equal(await page.getByLabel('Quality').isDisabled(), false);

		await page.getByLabel('Output format').selectOption('jpeg');
		await page.getByLabel('Compression').fill('250');
		await page.getByLabel('Compression').press('Tab');
		assert.equal(await page.getByLabel('Compression').inputValue(), '100');
		await page.getByLabel('Output format').selectOption('png');
		assert.equal(await page.getByLabel('Compression').inputValue(), '');
		assert.equal(await page.getByLabel('Compression').isDisabled(), true);

		await page.setViewportSize(PHONE);
		await page.emulateMedia({ colorScheme: 'dark' });
		const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 0, `${overflow}px wider than the phone`);
		await page.screenshot({ path: artifact('jobs-compose-phone-dark'), fullPage: true });
		await page.setViewportSize(DESKTOP);
		await page.emulateMedia({ colorScheme: 'light' });
	});

	test('after a reload (and in a second tab) the preview follows the running job', async () => {
		await page.getByLabel('Quantity').fill('1');
		await page.getByLabel('Prompt', { exact: true }).fill(`a patient one [mock:delay=4000] ${SMALL}`);
		const submittedAt = Date.now();
		await submit().click();
		await previewStatus('queued', 'running');
		const id = await preview().getAttribute('data-job-id');
		assert.ok(id, 'the preview names its job');
		const running = `[data-testid="preview"][data-job-id="${id}"]:is([data-status="queued"], [data-status="running"])`;

		// A second tab opened meanwhile shows the same job.
		const other = await browser.context.newPage();
		await other.goto(panel.url);
		await other.locator(running).waitFor();
		await other.getByTestId('preview').getByRole('button', { name: 'Cancel' }).waitFor();
		await other.close();

		await page.waitForTimeout(500);
		await page.reload();
		await page.locator(running).waitFor();
		const cancel = preview().getByRole('button', { name: 'Cancel' });
		await cancel.waitFor();
		assert.ok((await page.getByTestId('stage').innerText()).trim().length > 0, 'the stage is shown');
		const sinceSubmit = (Date.now() - submittedAt) / 1000;
		const elapsed = Number(/(\d+\.\d) s/.exec(await page.getByTestId('elapsed').innerText())?.[1]);
		assert.ok(elapsed >= sinceSubmit - 0.6, `elapsed ${elapsed} s counts from the job's creation (${sinceSubmit} s ago)`);
		await page.screenshot({ path: artifact('jobs-reattached-desktop-light'), fullPage: true });

		assert.equal(await previewStatus('success', 'error', 'upstream_error'), 'success');
		assert.equal(await preview().getAttribute('data-job-id'), id);
		assert.equal(await cancel.count(), 0);
		assert.match((await page.getByTestId('result-main').getAttribute('src')) ?? '', /^\/api\/image\//);
	});

	test('a finished job opens in the preview from the history, with its image or its error', async () => {
		await page.getByLabel('Prompt', { exact: true }).fill(`this one fails [mock:status=500] ${SMALL}`);
		await submit().click();
		await previewStatus('upstream_error', 'error');

		await openHistory();
		const done = drawer().getByTestId('job-card').filter({ hasText: 'a patient one' }).first();
		await done.waitFor();
		const doneId = await done.getAttribute('data-job-id');
		// Keyboard: focus the card's Show button and press Enter.
		await done.getByRole('button', { name: 'Show', exact: true }).focus();
		await page.keyboard.press('Enter');
		await drawer().waitFor({ state: 'hidden' });
		await page.locator(`[data-testid="preview"][data-job-id="${doneId}"][data-status="success"]`).waitFor();
		await page.waitForFunction(() => document.activeElement?.id === 'preview-job');
		assert.match((await page.getByTestId('result-main').getAttribute('src')) ?? '', /^\/api\/image\//);
		const took = Number(/(\d+\.\d) s/.exec(await page.getByTestId('elapsed').innerText())?.[1]);
		assert.ok(took >= 4, `elapsed ${took} s runs from created_at to completed_at`);
		await page.waitForFunction(() => {
			const img = document.querySelector('[data-testid="result-main"]');
			return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
		});
		await page.screenshot({ path: artifact('jobs-shown-from-history-desktop-light') });

		await openHistory();
		assert.equal(await drawer().locator(`[data-job-id="${doneId}"]`).getAttribute('aria-current'), 'true');
		await drawer().locator(`[data-job-id="${doneId}"]`).getByTestId('job-shown').waitFor();
		const failed = drawer().getByTestId('job-card').filter({ hasText: 'this one fails' }).first();
		await failed.getByRole('button', { name: 'Show', exact: true }).click();
		await drawer().waitFor({ state: 'hidden' });
		const status = await previewStatus('upstream_error', 'error');
		assert.ok(status === 'upstream_error' || status === 'error', `status ${status}`);
		assert.ok((await page.getByTestId('job-error').innerText()).trim().length > 0, 'the error text is shown');
		assert.equal(await page.getByTestId('result-main').count(), 0);
	});

	test('no console errors, CSP violations or off-site requests', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
