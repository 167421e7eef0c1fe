// Helpers shared by the gallery browser tests: a seed archive in the panel's own
// export layout (spec/API.md §9.1), unlocking, and watchers for the gallery UI.
import { randomBytes, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { makePng } from './png.mjs';
import { ACCESS_KEY } from './server.mjs';
import { crc32, makeZip } from './zip.mjs';

/**
 * The seed gallery: `count` images, index i = 0..count-1, created on 2026-01-(i+1)
 * (i < 31). Newest first, so page 1 starts with the highest index.
 *   prompt   i % 3 == 0 ? "alpha needle <i>" : "beta plain <i>"
 *   model    i < 10 ? gpt-image-1 : gpt-image-2
 *   preset   i odd ? Odd : Even
 *   size     i % 5 == 0 ? auto : 1024x1024
 *   favorite i % 4 == 0
 */
export function seedRows(count) {
	return Array.from({ length: count }, (_, i) => ({
		id: randomUUID(),
		prompt: i % 3 === 0 ? `alpha needle ${i}` : `beta plain ${i}`,
		size: i % 5 === 0 ? 'auto' : '1024x1024',
		filename: `seed-${String(i).padStart(2, '0')}.png`,
		created_at: `2026-01-${String(i + 1).padStart(2, '0')}T12:00:00+00:00`,
		completed_at: null,
		image_width: 48 + (i % 4) * 8,
		image_height: 64,
		model: i < 10 ? 'gpt-image-1' : 'gpt-image-2',
		quality: 'auto',
		output_format: 'png',
		output_compression: null,
		response_format: 'b64_json',
		n: 1,
		api_path: '/v1/images/generations',
		api_preset_name: i % 2 ? 'Odd' : 'Even',
		duration: '1.00s',
		favorite: i % 4 === 0
	}));
}

/** An incompressible RGB PNG (random pixels, stored deflate): about width×height×3 bytes. */
export function noisePng(width, height) {
	const chunk = (type, data) => {
		const head = Buffer.alloc(4);
		head.writeUInt32BE(data.length);
		const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([head, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8);
	const rows = [];
	for (let y = 0; y < height; y++) rows.push(Buffer.from([0]), randomBytes(width * 3));
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 0 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

/** A ZIP the panel's import accepts: images/<name> (`image` makes the bytes) plus metadata.json, last. */
export function seedZip(rows, image = (row) => makePng(row.image_width, row.image_height)) {
	const entries = rows.map((row) => ({ name: `images/${row.filename}`, data: image(row) }));
	const metadata = {
		schema_version: 1,
		exported_at: '2026-02-01T00:00:00+00:00',
		app: { name: 'gpt-image-linux', version: 'e2e' },
		images: rows
	};
	entries.push({ name: 'metadata.json', data: JSON.stringify(metadata, null, 2) });
	return makeZip(entries);
}

/** @param {import('playwright-core').Page} page */
export async function unlock(page, url) {
	await page.goto(url);
	await page.getByLabel('Access key').fill(ACCESS_KEY);
	await page.getByRole('button', { name: 'Unlock' }).click();
	await page.getByTestId('gallery').waitFor();
}

/**
 * Records every phase (and percentage) each transfer card goes through, so a test
 * can check that progress was shown even when a transfer is quick. Read it with
 * transferLog(page).
 * @param {import('playwright-core').Page} page
 */
export async function watchTransfers(page) {
	await page.evaluate(() => {
		const w = /** @type {any} */ (window);
		w.__transferLog = [];
		const note = (el) => {
			if (!(el instanceof HTMLElement) || el.dataset.testid !== 'transfer') return;
			const bar = el.querySelector('[data-testid="transfer-progress"]');
			w.__transferLog.push({
				kind: el.dataset.kind,
				phase: el.dataset.phase,
				percent: bar?.getAttribute('data-percent') ?? null,
				text: el.querySelector('[data-testid="transfer-text"]')?.textContent?.trim() ?? ''
			});
		};
		w.__transferObserver?.disconnect();
		w.__transferObserver = new MutationObserver((records) => {
			for (const record of records) {
				const target = record.target instanceof HTMLElement ? record.target : record.target.parentElement;
				const card = target?.closest('[data-testid="transfer"]');
				if (card) note(card);
				for (const node of record.addedNodes) {
					if (node instanceof HTMLElement) node.querySelectorAll('[data-testid="transfer"]').forEach(note);
					note(node);
				}
			}
		});
		w.__transferObserver.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
	});
}

/** @returns {Promise<Array<{ kind: string, phase: string, percent: string | null, text: string }>>} */
export function transferLog(page) {
	return page.evaluate(() => /** @type {any} */ (window).__transferLog ?? []);
}

/** The number in "N image(s)" above the grid, once it equals `expected`. */
export async function waitForTotal(page, expected) {
	await page.waitForFunction(
		(n) => document.querySelector('[data-testid="gallery-total"]')?.textContent?.trim() === `${n} image(s)`,
		expected
	);
}

/** Prompts of the cards on the shown page, in order. */
export function cardPrompts(page) {
	return page.$$eval('[data-testid="card-prompt"]', (els) => els.map((el) => el.getAttribute('title')));
}
