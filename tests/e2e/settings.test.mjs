// The settings drawer end to end against the real panel and the mock upstream
// (spec §3.3, §3.4, §7, §11.2): presets (new, activate, delete), env-ref keys and
// their masked display, the exact refusal sentence for a literal key, the preset
// health check, proxy and webhook, Test R2 and the optimizer's system prompt, with
// focus kept in the drawer and returned to the opener.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, DESKTOP, artifact, launchBrowser, unexpectedConsoleErrors } from './lib/browser.mjs';
import { ACCESS_KEY, startPanel } from './lib/server.mjs';
import { loadWebModule } from './lib/tsmodule.mjs';
import { startUpstream } from './lib/upstream.mjs';

const PROXY_SECRET = 'pw-e2e-secret';
const WEBHOOK_SECRET = 'hook-e2e-secret';

/** Opens the panel in a fresh browser and unlocks it. */
async function openPanel(panel) {
	const browser = await launchBrowser();
	await browser.page.goto(panel.url);
	await browser.page.getByLabel('Access key').fill(ACCESS_KEY);
	await browser.page.getByRole('button', { name: 'Unlock' }).click();
	await browser.page.locator('#prompt').waitFor();
	return browser;
}

describe('settings drawer', () => {
	/** @type {Awaited<ReturnType<typeof startUpstream>>} */
	let upstream;
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;
	/** @type {import('playwright-core').Page} */
	let page;
	const expectedFailures = [];

	before(async () => {
		upstream = await startUpstream();
		panel = await startPanel({
			env: {
				...upstream.panelEnv,
				TEST_PROXY_URL: `socks5://user:${PROXY_SECRET}@127.0.0.1:1080`,
				TEST_WEBHOOK_URL: `https://hooks.example.com/services/x?token=${WEBHOOK_SECRET}`
			}
		});
		browser = await openPanel(panel);
		page = browser.page;
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
		await upstream?.stop();
	});

	const drawer = () => page.getByTestId('settings-drawer');
	const presetItems = () => drawer().getByTestId('preset-item');
	const presetKeyNow = () => drawer().getByTestId('preset-form').getByTestId('secret-current');
	const saved = () => page.getByRole('status').filter({ hasText: 'Settings saved.' }).last().waitFor();
	const settingsJson = () => page.evaluate(async () => (await fetch('/api/settings')).json());

	async function open() {
		await page.locator('#settings-button').click();
		await drawer().getByTestId('preset-form').waitFor();
	}

	async function close() {
		await page.keyboard.press('Escape');
		await drawer().waitFor({ state: 'hidden' });
	}

	async function save() {
		const answered = page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'POST');
		await drawer().getByTestId('settings-save').click();
		return answered;
	}

	test('shows the default preset with its env-ref key; focus stays inside and returns to the opener', async () => {
		await open();
		assert.equal(await presetItems().count(), 1);
		assert.equal(await presetItems().first().getAttribute('data-active'), 'true');
		assert.equal(await drawer().locator('#preset-url').inputValue(), upstream.url);
		assert.match(await presetKeyNow().innerText(), /environment reference \$\{MOCK_KEY\}/);
		assert.equal(await drawer().locator('#preset-key').inputValue(), '', 'the key itself is never put in a field');
		await page.screenshot({ path: artifact('settings-desktop-light') });

		for (let i = 0; i < 40; i++) {
			await page.keyboard.press(i % 7 === 6 ? 'Shift+Tab' : 'Tab');
			const inside = await page.evaluate(() =>
				Boolean(document.querySelector('[data-testid="settings-drawer"]')?.contains(document.activeElement))
			);
			assert.ok(inside, `focus left the drawer after ${i + 1} presses`);
		}
		await close();
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'settings-button');
	});

	test('the health check of the saved preset shows each check', async () => {
		await open();
		await drawer().getByTestId('preset-check').click();
		const checks = drawer().getByTestId('preset-checks');
		await checks.waitFor();
		assert.equal(await checks.getAttribute('data-status'), 'ok');
		const names = await checks.getByTestId('check').evaluateAll((els) => els.map((e) => e.dataset.name));
		for (const name of ['api_path', 'ssrf', 'api_key', 'upstream_probe']) {
			assert.ok(names.includes(name), `check ${name} in ${names}`);
		}
		assert.equal(await checks.locator('[data-name="api_path"]').getAttribute('data-status'), 'ok');
		assert.match(await checks.locator('[data-name="api_path"]').innerText(), /API path \/v1\/images\/generations is supported/);
		await checks.scrollIntoViewIfNeeded();
		await page.screenshot({ path: artifact('settings-health-desktop-light') });
	});

	test('a new preset: a literal key is refused with the exact sentence, an env ref is saved and masked', async () => {
		await drawer().getByRole('button', { name: 'New' }).click();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="preset-item"]').length === 2);
		const second = presetItems().nth(1);
		assert.equal(await second.getAttribute('data-active'), 'true', 'a new preset becomes active');
		assert.equal(await second.getAttribute('aria-pressed'), 'true', 'and is the one in the form');
		assert.equal(await page.evaluate(() => document.activeElement?.id), 'preset-name');
		assert.equal(await drawer().locator('#preset-url').inputValue(), upstream.url, 'copied from the source');

		await drawer().locator('#preset-name').fill('Second upstream');
		await drawer().locator('#preset-model').fill('model-two');
		await drawer().locator('#preset-key').fill('sk-literal-e2e-123456');
		expectedFailures.push({ path: '/api/settings', status: 422 });
		assert.equal((await save()).status(), 422);
		const refusal = drawer().getByTestId('settings-error');
		await refusal.waitFor();
		assert.match(await refusal.innerText(), /API key must use \$\{ENV_VAR_NAME\} unless ALLOW_PLAINTEXT_SECRETS=true\./);
		assert.equal(await drawer().locator('#preset-key').getAttribute('aria-invalid'), 'true');
		await page.screenshot({ path: artifact('settings-refused-desktop-light') });

		await drawer().locator('#preset-key').fill('${SECOND_KEY}');
		assert.equal((await save()).status(), 200);
		await saved();
		assert.equal(await refusal.count(), 0);
		assert.match(await presetKeyNow().innerText(), /environment reference \$\{SECOND_KEY\}/);
		assert.equal(await drawer().locator('#preset-key').inputValue(), '');
		assert.equal(await page.locator('#model').inputValue(), 'model-two', 'the compose form follows the active preset');

		const settings = await settingsJson();
		const stored = settings.presets.find((p) => p.name === 'Second upstream');
		assert.equal(stored.api_key_masked, '${SECOND_KEY}');
		assert.equal(stored.api_key_source, 'env');
		assert.equal(stored.default_model, 'model-two');
		assert.equal(settings.active_preset_id, stored.id);

		// SECOND_KEY is not set in the server's environment: the check says so.
		await drawer().getByTestId('preset-check').click();
		const checks = drawer().getByTestId('preset-checks');
		await checks.waitFor();
		assert.equal(await checks.getAttribute('data-status'), 'error');
		assert.equal(await checks.locator('[data-name="api_key"]').getAttribute('data-status'), 'error');
	});

	test('activate and delete presets', async () => {
		await presetItems().first().click();
		assert.equal(await drawer().locator('#preset-name').inputValue(), 'Default');
		await drawer().getByRole('button', { name: 'Activate' }).click();
		await page.locator('[data-testid="preset-item"][data-active="true"][data-preset-id="default"]').waitFor();
		assert.equal(await page.locator('#model').inputValue(), 'gpt-image-2', 'the form follows the active preset');

		await presetItems().nth(1).click();
		await drawer().getByRole('button', { name: 'Delete', exact: true }).click();
		const question = drawer().getByRole('alertdialog');
		await question.waitFor();
		assert.match(await question.innerText(), /Second upstream/);
		await question.getByRole('button', { name: 'Delete preset' }).click();
		await page.waitForFunction(() => document.querySelectorAll('[data-testid="preset-item"]').length === 1);
		assert.equal(await drawer().getByRole('button', { name: 'Delete', exact: true }).isDisabled(), true);
		await drawer().getByText('The last preset cannot be deleted.').waitFor();
		assert.equal((await settingsJson()).presets.length, 1);
	});

	test('proxy and webhook: env refs saved and sent back unchanged, a literal webhook refused', async () => {
		await drawer().locator('#socks5').fill('${TEST_PROXY_URL}');
		await drawer().locator('#webhook').fill('${TEST_WEBHOOK_URL}');
		assert.equal((await save()).status(), 200);
		await saved();
		assert.equal(await drawer().locator('#socks5').inputValue(), '${TEST_PROXY_URL}');
		assert.equal(await drawer().locator('#webhook').inputValue(), '${TEST_WEBHOOK_URL}');

		await drawer().locator('#webhook').fill('https://hooks.example.com/plain');
		assert.equal((await save()).status(), 422);
		await drawer().getByTestId('settings-error').filter({ hasText: 'Webhook URL must use ${ENV_VAR_NAME} unless ALLOW_PLAINTEXT_SECRETS=true.' }).waitFor();
		assert.equal(await drawer().locator('#webhook').getAttribute('aria-invalid'), 'true');

		await close();
		await open();
		assert.equal(await drawer().locator('#webhook').inputValue(), '${TEST_WEBHOOK_URL}', 'the refused value was not kept');
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/settings') && r.method() === 'POST');
		assert.equal((await save()).status(), 200);
		const body = (await sent).postDataJSON();
		assert.equal(body.upstream_socks5_proxy, '${TEST_PROXY_URL}');
		assert.equal(body.webhook_url, '${TEST_WEBHOOK_URL}');
		assert.equal(body.api_key, null, 'a blank key field keeps the stored key');
		const html = await page.content();
		assert.ok(!html.includes(PROXY_SECRET) && !html.includes(WEBHOOK_SECRET), 'no resolved secret on the page');
	});

	test('Test R2 against an unconfigured R2 shows the configuration error', async () => {
		const r2 = drawer().getByTestId('r2-settings');
		await r2.getByTestId('r2-test').click();
		const checks = r2.getByTestId('r2-checks');
		await checks.waitFor();
		assert.equal(await checks.getAttribute('data-status'), 'error');
		const configuration = checks.locator('[data-name="configuration"]');
		assert.equal(await configuration.getAttribute('data-status'), 'error');
		assert.match(await configuration.innerText(), /R2 backup is disabled|not configured/);
		assert.equal(await checks.getByTestId('check').count(), 1, 'the first error stops the checks');
		await checks.scrollIntoViewIfNeeded();
		await page.screenshot({ path: artifact('settings-r2-desktop-light') });

		// The draft is what is tested: enabled but without an endpoint.
		await r2.getByLabel('Enable backup to R2 / S3').check();
		await r2.getByTestId('r2-test').click();
		await page.waitForFunction(() => /endpoint/i.test(document.querySelector('[data-testid="r2-checks"] [data-name="configuration"]')?.textContent ?? ''));
		assert.equal((await settingsJson()).r2_backup.enabled, false, 'testing saves nothing');
		await r2.getByLabel('Enable backup to R2 / S3').uncheck();
	});

	test('the scheduled backup interval is saved as a number of hours; letters cannot be typed', async () => {
		const interval = drawer().getByTestId('r2-settings').getByLabel('Back up every (hours)');
		assert.equal(await interval.inputValue(), '0');
		await interval.fill('6h');
		assert.equal(await interval.inputValue(), '6');
		assert.equal((await save()).status(), 200);
		await saved();
		assert.equal((await settingsJson()).r2_backup.sync_interval_hours, 6);
		await interval.fill('0');
		assert.equal((await save()).status(), 200);
		await saved();
		assert.equal((await settingsJson()).r2_backup.sync_interval_hours, 0);
	});

	test('the optimizer system prompt: edit, save, refuse blank, reset to default', async () => {
		await drawer().getByRole('button', { name: 'Edit system prompt' }).click();
		const editor = drawer().getByTestId('system-prompt');
		const text = editor.locator('textarea');
		await text.waitFor();
		const initial = await page.evaluate(async () => (await fetch('/api/prompt/optimizer-system-prompt')).json());
		assert.equal(await text.inputValue(), initial.default_system_prompt);
		assert.match(await editor.getByTestId('system-prompt-state').innerText(), /Built-in default/);

		await text.fill('  Custom optimizer prompt for e2e\n');
		await editor.getByRole('button', { name: 'Save system prompt' }).click();
		await page.getByRole('status').filter({ hasText: 'System prompt saved.' }).waitFor();
		assert.equal(await text.inputValue(), 'Custom optimizer prompt for e2e', 'the server trims it');
		assert.match(await editor.getByTestId('system-prompt-state').innerText(), /Customized/);
		const stored = await page.evaluate(async () => (await fetch('/api/prompt/optimizer-system-prompt')).json());
		assert.equal(stored.customized, true);
		assert.equal(stored.system_prompt, 'Custom optimizer prompt for e2e');

		await text.fill('   ');
		expectedFailures.push({ path: '/api/prompt/optimizer-system-prompt', status: 422 });
		await editor.getByRole('button', { name: 'Save system prompt' }).click();
		await editor.getByRole('alert').waitFor();
		assert.equal(await text.getAttribute('aria-invalid'), 'true');

		await editor.getByRole('button', { name: 'Reset to default' }).click();
		await page.waitForFunction(() => /Built-in default/.test(document.querySelector('[data-testid="system-prompt-state"]')?.textContent ?? ''));
		assert.equal(await text.inputValue(), initial.default_system_prompt);
	});

	test('phone and dark layouts', async () => {
		await page.setViewportSize(PHONE);
		await page.emulateMedia({ colorScheme: 'dark' });
		await drawer().locator('#preset-name').scrollIntoViewIfNeeded();
		await page.screenshot({ path: artifact('settings-phone-dark') });
		const box = await drawer().boundingBox();
		assert.ok(box && box.width <= PHONE.width);
		await close();
		const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(scroll <= PHONE.width, `no sideways scrolling (${scroll}px)`);
		const version = await page.getByTestId('version').boundingBox();
		const language = await page.getByLabel('Language', { exact: true }).boundingBox();
		assert.ok(version && language && version.x + version.width <= language.x, 'header items do not overlap');
		await page.screenshot({ path: artifact('header-phone-dark'), clip: { x: 0, y: 0, width: PHONE.width, height: 56 } });
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

describe('settings drawer with ALLOW_PLAINTEXT_SECRETS=true', () => {
	/** @type {Awaited<ReturnType<typeof startPanel>>} */
	let panel;
	/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
	let browser;

	before(async () => {
		panel = await startPanel({
			env: { ALLOW_PLAINTEXT_SECRETS: 'true', DEFAULT_API_URL: 'https://127.0.0.1:9', PRIVATE_NETWORK_ALLOWLIST: '127.0.0.1' }
		});
		browser = await openPanel(panel);
	});

	after(async () => {
		await browser?.close();
		await panel?.stop();
	});

	test('literal secrets are shown masked and the masked values round-trip unchanged', async () => {
		const page = browser.page;
		const drawer = page.getByTestId('settings-drawer');
		await page.locator('#settings-button').click();
		await drawer.getByTestId('preset-form').waitFor();
		await drawer.locator('#preset-key').fill('sk-literal-abcdef-9876');
		await drawer.locator('#socks5').fill(`socks5://user:${PROXY_SECRET}@127.0.0.1:1080`);
		await drawer.locator('#webhook').fill(`https://127.0.0.1:9443/hook?token=${WEBHOOK_SECRET}`);
		let answered = page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'POST');
		await drawer.getByTestId('settings-save').click();
		assert.equal((await answered).status(), 200);

		const key = drawer.getByTestId('preset-form').getByTestId('secret-current');
		await page.waitForFunction(() => /Saved in the database/.test(document.querySelector('[data-testid="preset-form"] [data-testid="secret-current"]')?.textContent ?? ''));
		assert.match(await key.innerText(), /sk-l\*\*\*9876/);
		const proxyMasked = await drawer.locator('#socks5').inputValue();
		const webhookMasked = await drawer.locator('#webhook').inputValue();
		assert.equal(proxyMasked, 'socks5://user:***@127.0.0.1:1080');
		assert.ok(!webhookMasked.includes(WEBHOOK_SECRET) && webhookMasked.startsWith('https://127.0.0.1:9443/'), webhookMasked);
		assert.ok(!(await page.content()).includes(PROXY_SECRET));

		// Renaming the preset sends the masked forms back; the server keeps the stored values.
		await drawer.locator('#preset-name').fill('Renamed');
		const sent = page.waitForRequest((r) => r.url().endsWith('/api/settings') && r.method() === 'POST');
		answered = page.waitForResponse((r) => r.url().endsWith('/api/settings') && r.request().method() === 'POST');
		await drawer.getByTestId('settings-save').click();
		const body = (await sent).postDataJSON();
		assert.equal(body.upstream_socks5_proxy, proxyMasked);
		assert.equal(body.webhook_url, webhookMasked);
		assert.equal(body.api_key, null);
		const after = await (await answered).json();
		assert.equal(after.upstream_socks5_proxy_masked, proxyMasked);
		assert.equal(after.webhook_url_masked, webhookMasked);
		assert.equal(after.has_api_key, true);
		assert.equal(after.api_key_masked, 'sk-l***9876');
		assert.deepEqual(unexpectedConsoleErrors(browser.findings), []);
	});
});

describe('settings request bodies (web/src/lib/settingsDraft.ts)', () => {
	/** @type {typeof import('../../web/src/lib/settingsDraft.ts')} */
	let drafts;
	let cleanup = async () => {};

	before(async () => {
		({ module: drafts, cleanup } = await loadWebModule('lib/settingsDraft.ts'));
	});

	after(() => cleanup());

	const response = {
		active_preset_id: 'a',
		api_url: 'https://a.example',
		api_path: '/v1/images/generations',
		default_model: 'm',
		default_response_format: 'url',
		upstream_socks5_proxy_masked: 'socks5://u:***@h:1',
		webhook_url_masked: '${HOOK}',
		presets: [
			{ id: 'a', name: 'A', api_url: 'https://a.example', api_path: '/v1/images/generations', default_model: 'm',
				default_response_format: 'url', api_key_masked: '${K}', has_api_key: true, api_key_source: 'env', api_key_env_var: 'K' },
			{ id: 'b', name: 'B', api_url: 'https://b.example', api_path: '/v1/responses', default_model: '',
				default_response_format: '', api_key_masked: '***', has_api_key: false, api_key_source: 'empty', api_key_env_var: null }
		],
		prompt_optimizer: { enabled: true, api_url: 'https://o.example/v1/chat/completions', model: 'x', timeout_seconds: 30,
			api_key_masked: '***', has_api_key: false, api_key_source: 'empty', api_key_env_var: null },
		r2_backup: { enabled: false, endpoint_url: '', bucket_name: 'bk', region: 'auto', key_prefix: 'gallery/',
			access_key_id_masked: '${ID}', has_access_key_id: true, access_key_id_source: 'env', access_key_id_env_var: 'ID',
			secret_access_key_masked: '***', has_secret_access_key: false, secret_access_key_source: 'empty', secret_access_key_env_var: null }
	};

	test('an untouched draft keeps every secret: null key, masked proxy and webhook, no R2 credentials', () => {
		const body = drafts.settingsRequest(drafts.settingsDraft(response, 'b'));
		assert.deepEqual(body, {
			active_preset_id: 'b',
			preset_name: 'B',
			api_url: 'https://b.example',
			api_key: null,
			api_path: '/v1/responses',
			default_model: '',
			default_response_format: '',
			upstream_socks5_proxy: 'socks5://u:***@h:1',
			webhook_url: '${HOOK}',
			prompt_optimizer: { enabled: true, api_url: 'https://o.example/v1/chat/completions', model: 'x', timeout_seconds: 30 },
			r2_backup: { enabled: false, endpoint_url: '', bucket_name: 'bk', region: 'auto', key_prefix: 'gallery/',
				sync_interval_hours: 0 }
		});
	});

	test('typed secrets replace, "remove" clears, unknown preset ids fall back to the active one', () => {
		const draft = drafts.settingsDraft(response, 'missing');
		assert.equal(draft.preset.id, 'a');
		draft.preset.key.value = '  ${NEW_KEY} ';
		draft.optimizer.key.clear = true;
		draft.r2.secretKey.value = '${R2_SECRET}';
		draft.globals.socks5 = '';
		const body = drafts.settingsRequest(draft);
		assert.equal(body.api_key, '${NEW_KEY}');
		assert.equal(body.prompt_optimizer.api_key, '');
		assert.equal(body.r2_backup.secret_access_key, '${R2_SECRET}');
		assert.equal('access_key_id' in body.r2_backup, false);
		assert.equal(body.upstream_socks5_proxy, '', 'an emptied field clears');
		assert.deepEqual(drafts.r2Request(draft.r2), body.r2_backup, 'Test R2 sends the same draft');
	});
});
