// Debian's Chromium through playwright-core, with watchers for the things every
// test must not see: console errors, page errors, CSP violations and requests
// that leave 127.0.0.1.
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const chromiumArgs = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic'
];

/** Where screenshots go (gitignored): tests/e2e/artifacts/<name>.png */
export function artifact(name) {
	const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');
	mkdirSync(dir, { recursive: true });
	return join(dir, `${name}.png`);
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * @typedef {{ text: string, url: string }} ConsoleError
 * @typedef {{
 *   consoleErrors: ConsoleError[], pageErrors: string[], cspViolations: string[], offsite: string[]
 * }} Findings
 */

/** Launches Chromium with a fresh profile. Close it with `close()`. */
export async function launchBrowser({ viewport = DESKTOP, colorScheme = 'light' } = {}) {
	const userDataDir = await mkdtemp(join(tmpdir(), 'panel-e2e-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
		headless: true,
		args: chromiumArgs,
		viewport,
		colorScheme,
		locale: 'en-US',
		timezoneId: 'UTC',
		reducedMotion: 'reduce'
	});
	context.setDefaultTimeout(10_000);

	/** @type {Findings} */
	const findings = { consoleErrors: [], pageErrors: [], cspViolations: [], offsite: [] };
	context.on('console', (message) => {
		if (message.type() === 'error') {
			findings.consoleErrors.push({ text: message.text(), url: message.location().url ?? '' });
		}
	});
	context.on('weberror', (error) => findings.pageErrors.push(String(error.error())));
	context.on('request', (request) => {
		const url = new URL(request.url());
		if (!['data:', 'blob:', 'about:'].includes(url.protocol) && url.hostname !== '127.0.0.1') {
			findings.offsite.push(request.url());
		}
	});
	// The listener is added through the DevTools protocol, so the page's own CSP does
	// not stop it; it reports every violation the page's CSP raises.
	await context.exposeBinding('__e2eCspViolation', (_source, text) => {
		findings.cspViolations.push(text);
	});
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = /** @type {any} */ (window).__e2eCspViolation;
			report?.(`${event.effectiveDirective} blocked ${event.blockedURI || '(inline)'}`);
		});
	});

	const page = context.pages()[0] ?? (await context.newPage());
	const close = async () => {
		await context.close();
		await rm(userDataDir, { recursive: true, force: true });
	};
	return { context, page, findings, close };
}

/**
 * Failures every unlocked page may log: GET /api/settings is not served by every
 * build yet, and the workbench falls back to its defaults on a 404 (spec §3.3).
 */
export const toleratedFailures = [{ path: '/api/settings', status: 404 }];

/**
 * Console errors not explained by an expected HTTP failure. A failed fetch makes
 * Chromium log "Failed to load resource … status of N"; tests that provoke one on
 * purpose list it as { path, status }.
 * @param {Findings} findings
 * @param {Array<{ path: string, status: number }>} expected
 */
export function unexpectedConsoleErrors(findings, expected = []) {
	expected = [...expected, ...toleratedFailures];
	return findings.consoleErrors.filter((entry) => {
		const match = /Failed to load resource: the server responded with a status of (\d+)/.exec(
			entry.text
		);
		if (!match) {
			return true;
		}
		const path = entry.url ? new URL(entry.url).pathname : '';
		return !expected.some((e) => e.path === path && e.status === Number(match[1]));
	});
}
