// Starts the real image-panel binary on 127.0.0.1 with a fresh data directory,
// serving the built web app, and stops it again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ACCESS_KEY = 'e2e-secret-key';

/** Asks the kernel for a port that is free right now. */
function freePort() {
	return new Promise((resolvePort, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address();
			probe.close(() => resolvePort(port));
		});
	});
}

/**
 * @param {{ env?: Record<string, string> }} [options] extra environment for the server
 * @returns {Promise<{ url: string, log: () => string, stop: () => Promise<void> }>}
 */
export async function startPanel(options = {}) {
	const bin = process.env.PANEL_BIN ?? join(repoRoot, 'build', 'image-panel');
	const webBuild = process.env.E2E_WEB_BUILD ?? join(repoRoot, 'web', 'build');
	if (!existsSync(bin)) {
		throw new Error(`panel binary not found at ${bin}: build it first or set PANEL_BIN`);
	}
	if (!existsSync(join(webBuild, 'index.html'))) {
		throw new Error(`web build not found at ${webBuild}: run npm --prefix web run build`);
	}

	const root = await mkdtemp(join(tmpdir(), 'panel-e2e-'));
	const dataDir = join(root, 'data');
	const imagesDir = join(root, 'images');
	await mkdir(dataDir);
	await mkdir(imagesDir);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;

	// A clean environment: nothing from the developer's shell or a .env file leaks in
	// (the working directory is the empty temp root).
	const env = {
		PATH: process.env.PATH ?? '/usr/bin:/bin',
		HOME: root,
		LANG: 'C.UTF-8',
		DATA_DIR: dataDir,
		IMAGES_DIR: imagesDir,
		WEB_BUILD_DIR: webBuild,
		ACCESS_KEY,
		ACCESS_COOKIE_SECURE: 'false',
		ENABLE_VERSION_CHECK: 'false',
		...options.env
	};
	const child = spawn(bin, ['--host', '127.0.0.1', '--port', String(port)], {
		cwd: root,
		env,
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const lines = [];
	const keep = (chunk) => {
		lines.push(...String(chunk).split('\n').filter(Boolean));
		lines.splice(0, Math.max(0, lines.length - 200));
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	let exited = null;
	const exitPromise = new Promise((resolveExit) => {
		child.once('exit', (code, signal) => {
			exited = { code, signal };
			resolveExit();
		});
	});
	const log = () => lines.join('\n');

	const stop = async () => {
		if (exited === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exitPromise;
			clearTimeout(killer);
		}
		await rm(root, { recursive: true, force: true });
	};

	const deadline = Date.now() + 20_000;
	for (;;) {
		if (exited !== null) {
			await stop();
			throw new Error(`panel exited early (${JSON.stringify(exited)}):\n${log()}`);
		}
		try {
			const response = await fetch(`${url}/health`);
			if (response.status === 200) {
				break;
			}
		} catch {
			// Not listening yet.
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`panel did not answer /health within 20 s:\n${log()}`);
		}
		await sleep(100);
	}
	return { url, log, stop };
}
