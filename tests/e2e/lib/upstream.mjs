// Starts build/mock-upstream on HTTPS (docs/mock-upstream.md) with a throwaway test
// CA, and gives the panel environment that points the default preset at it.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './server.mjs';

/**
 * @returns {Promise<{ url: string, panelEnv: Record<string, string>,
 *   stats: () => Promise<any>, stop: () => Promise<void> }>}
 */
export async function startUpstream() {
	const bin = process.env.MOCK_UPSTREAM_BIN ?? join(repoRoot, 'build', 'mock-upstream');
	if (!existsSync(bin)) {
		throw new Error(`mock upstream not found at ${bin}: build it or set MOCK_UPSTREAM_BIN`);
	}
	const dir = await mkdtemp(join(tmpdir(), 'panel-e2e-mock-'));
	execFileSync('bash', [join(repoRoot, 'scripts', 'make-test-certs.sh'), dir], { stdio: 'ignore' });
	const portFile = join(dir, 'port');
	const child = spawn(
		bin,
		['--tls-cert', join(dir, 'server.crt'), '--tls-key', join(dir, 'server.key'), '--port', '0', '--port-file', portFile],
		{ stdio: ['ignore', 'ignore', 'pipe'] }
	);
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
	let exited = false;
	const exitPromise = new Promise((resolve) => child.once('exit', () => ((exited = true), resolve())));

	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			await exitPromise;
		}
		await rm(dir, { recursive: true, force: true });
	};

	let port = '';
	const deadline = Date.now() + 10_000;
	while (port === '') {
		if (exited) {
			await stop();
			throw new Error(`mock upstream exited early:\n${stderr}`);
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`mock upstream wrote no port file within 10 s:\n${stderr}`);
		}
		port = existsSync(portFile) ? (await readFile(portFile, 'utf8')).trim() : '';
		if (port === '') await sleep(50);
	}
	const url = `https://127.0.0.1:${port}`;
	return {
		url,
		panelEnv: {
			DEFAULT_API_URL: url,
			DEFAULT_API_KEY: '${MOCK_KEY}',
			MOCK_KEY: 'e2e-mock-key',
			EXTRA_CA_FILE: join(dir, 'ca.crt'),
			PRIVATE_NETWORK_ALLOWLIST: '127.0.0.1'
		},
		// The control endpoint needs no key; Node's fetch must trust the test CA, so use curl.
		stats: async () =>
			JSON.parse(execFileSync('curl', ['-s', '--cacert', join(dir, 'ca.crt'), `${url}/mock/stats`], { encoding: 'utf8' })),
		stop
	};
}
