// The access gate, the session cookie, 401 handling and error toasts, as a user
// meets them in the browser. Tests run in order and share one browser profile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';

describe('access gate', () => {
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	/** HTTP failures the tests provoke on purpose. */
	const expectedFailures = [];

	before(async () => {
		panel = await startPanel();
		browser = await launchBrowser();
		page = browser.page;
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
	});

	const gateHeading = () => page.getByRole('heading', { name: 'Unlock the panel' });
	const keyField = () => page.getByLabel('Access key');
	const unlockButton = () => page.getByRole('button', { name: 'Unlock' });
	const galleryHeading = () => page.getByRole('heading', { name: 'Gallery' });

	test('a locked panel shows the gate, under a nonce CSP', async () => {
		const response = await page.goto(panel.url);
		assert.equal(response?.status(), 200);
		const csp = response?.headers()['content-security-policy'] ?? '';
		assert.match(csp, /script-src-elem 'self' 'nonce-[A-Za-z0-9_-]+'/);
		assert.doesNotMatch(csp, /script-src-elem[^;]*unsafe-inline/);

		await gateHeading().waitFor();
		assert.equal(await keyField().getAttribute('type'), 'password');
		assert.equal(await unlockButton().isEnabled(), true);
		assert.equal(await galleryHeading().count(), 0);
	});

	test('when the status check fails, a notice offers a retry that recovers', async () => {
		await page.route('**/api/access/status', (route) =>
			route.fulfill({ status: 503, json: { status: 'error', detail: 'Service unavailable' } })
		);
		expectedFailures.push({ path: '/api/access/status', status: 503 });
		await page.reload();
		await page.getByRole('heading', { name: 'Cannot reach the panel' }).waitFor();
		await page.getByText('Service unavailable (503)').waitFor();
		await page.screenshot({ path: artifact('offline-desktop-light') });
		await page.unroute('**/api/access/status');
		await page.getByRole('button', { name: 'Try again' }).click();
		await gateHeading().waitFor();
	});

	test('an empty key is caught before it reaches the server', async () => {
		let posted = false;
		const onRequest = (request) => {
			posted ||= request.method() === 'POST';
		};
		page.on('request', onRequest);
		await unlockButton().click();
		await page.getByRole('alert').filter({ hasText: 'Enter the access key.' }).waitFor();
		page.off('request', onRequest);
		assert.equal(posted, false);
	});

	test('a wrong key shows "Invalid access key"', async () => {
		expectedFailures.push({ path: '/api/access', status: 401 });
		await keyField().fill('not-the-key');
		await unlockButton().click();
		await page.getByRole('alert').filter({ hasText: 'Invalid access key' }).waitFor();
		assert.equal(await keyField().getAttribute('aria-invalid'), 'true');
		assert.equal(await gateHeading().count(), 1);
	});

	test('the right key unlocks the panel and sets the session cookie', async () => {
		await keyField().fill(ACCESS_KEY);
		await keyField().press('Enter');
		await galleryHeading().waitFor();
		for (const name of ['Compose', 'Preview']) {
			await page.getByRole('heading', { name }).waitFor();
		}
		await page.getByText('No images yet').waitFor();
		assert.equal(await gateHeading().count(), 0);

		const served = await page.evaluate(async () => (await fetch('/api/version')).json());
		const badge = page.getByTestId('version');
		await badge.waitFor();
		assert.equal((await badge.innerText()).trim(), served.version);

		const cookie = (await browser.context.cookies()).find((c) => c.name === 'gpt_image_access');
		assert.ok(cookie, 'session cookie set');
		assert.equal(cookie.httpOnly, true);
		assert.equal(cookie.secure, false);
		assert.equal(cookie.sameSite, 'Lax');
	});

	test('a reload keeps the session', async () => {
		await page.reload();
		await galleryHeading().waitFor();
		assert.equal(await gateHeading().count(), 0);
	});

	test('a 401 from any API call returns to the gate', async () => {
		// The status check still says "in", but the cookie is gone: the first real
		// API call (the version badge) answers 401 and must bring the gate back.
		await page.route('**/api/access/status', (route) =>
			route.fulfill({ json: { authenticated: true, expires_at: null } })
		);
		await browser.context.clearCookies();
		// The workbench's own first calls (settings, the live job list) see the 401 as well.
		expectedFailures.push(
			{ path: '/api/version', status: 401 },
			{ path: '/api/settings', status: 401 },
			{ path: '/api/generate/jobs/events', status: 401 },
			{ path: '/api/gallery', status: 401 }
		);
		await page.reload();
		await gateHeading().waitFor();
		await page.getByText('Your session has ended.').waitFor();
		await page.screenshot({ path: artifact('gate-expired-desktop-light') });
		await page.unroute('**/api/access/status');

		await keyField().fill(ACCESS_KEY);
		await unlockButton().click();
		await galleryHeading().waitFor();
	});

	test('a failing API call shows an error toast with the detail, which can be dismissed', async () => {
		await page.route('**/api/version', (route) =>
			route.fulfill({ status: 500, json: { status: 'error', detail: 'Version file unreadable' } })
		);
		expectedFailures.push({ path: '/api/version', status: 500 });
		await page.reload();
		const toast = page.getByRole('alert').filter({ hasText: 'Version file unreadable (500)' });
		await toast.waitFor();
		await page.screenshot({ path: artifact('toast-desktop-light') });
		await toast.getByRole('button', { name: 'Dismiss notification' }).click();
		await toast.waitFor({ state: 'detached' });
		await page.unroute('**/api/version');
	});

	test('an unknown address shows a not-found page with a way back', async () => {
		await page.goto(`${panel.url}/no/such/page`);
		await page.getByRole('heading', { name: 'Page not found' }).waitFor();
		await page.getByRole('link', { name: 'Back to the panel' }).click();
		await galleryHeading().waitFor();
	});

	test('repeated wrong keys lock the gate with the server message', async () => {
		await browser.context.clearCookies();
		await page.reload();
		await gateHeading().waitFor();
		expectedFailures.push({ path: '/api/access', status: 429 });
		let seen = '';
		for (let attempt = 1; attempt <= 6; attempt += 1) {
			await keyField().fill(`wrong-${attempt}`);
			const answer = page.waitForResponse((r) => r.url().endsWith('/api/access'));
			await unlockButton().click();
			const response = await answer;
			if (response.status() === 429) {
				seen = (await response.json()).detail;
				break;
			}
		}
		assert.match(seen, /^Too many failed attempts\. Try again in \d+ seconds\.$/);
		await page.getByRole('alert').filter({ hasText: seen }).waitFor();
	});

	test('nothing went wrong in the browser along the way', () => {
		assert.deepEqual(unexpectedConsoleErrors(browser.findings, expectedFailures), []);
		assert.deepEqual(browser.findings.pageErrors, []);
		assert.deepEqual(browser.findings.cspViolations, []);
		assert.deepEqual(browser.findings.offsite, []);
	});
});
