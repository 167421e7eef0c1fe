// Starts s3rver (tests/s3, a real S3 implementation) on HTTPS with a throwaway test CA,
// reached as https://localhost:<port>, and gives the panel environment that makes it
// the R2 backup target (spec/API.md §11.1, §18), as tests/api/s3_servers.py does.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from './server.mjs';

const s3Dir = join(repoRoot, 'tests', 's3');

/** npm ci in tests/s3 when s3rver is not installed. */
function ensureS3rver() {
	const script = join(s3Dir, 'node_modules', 's3rver', 'bin', 's3rver.js');
	if (!existsSync(script)) {
		execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: s3Dir, stdio: 'ignore' });
	}
	return script;
}

/**
 * @param {{ bucket?: string, prefix?: string }} [options]
 * @returns {Promise<{ endpoint: string, panelEnv: Record<string, string>,
 *   keys: () => Promise<string[]>, stop: () => Promise<void> }>}
 */
export async function startS3(options = {}) {
	const bucket = options.bucket ?? 'backup';
	const prefix = options.prefix ?? 'gallery/';
	const script = ensureS3rver();
	const dir = await mkdtemp(join(tmpdir(), 'panel-e2e-s3-'));
	await mkdir(join(dir, 'data'));
	execFileSync('bash', [join(repoRoot, 'scripts', 'make-test-certs.sh'), dir], { stdio: 'ignore' });
	const ca = await readFile(join(dir, 'ca.crt'));
	// s3rver encrypts its continuation tokens with DES, which OpenSSL 3 keeps in the legacy provider.
	const child = spawn(
		'node',
		['--openssl-legacy-provider', script, '-d', join(dir, 'data'), '-a', '127.0.0.1', '-p', '0',
			'--key', join(dir, 'server.key'), '--cert', join(dir, 'server.crt'), '--no-vhost-buckets',
			'--configure-bucket', bucket],
		{ cwd: s3Dir, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-8000)));
	child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-8000)));
	let exited = false;
	const exitPromise = new Promise((resolve) => child.once('exit', () => ((exited = true), resolve())));
	const stop = async () => {
		if (!exited) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
			await exitPromise;
			clearTimeout(killer);
		}
		await rm(dir, { recursive: true, force: true });
	};

	let port = 0;
	const deadline = Date.now() + 30_000;
	while (port === 0) {
		const match = /S3rver listening on [\d.]+:(\d+)/.exec(output);
		if (match) port = Number(match[1]);
		else if (exited || Date.now() > deadline) {
			await stop();
			throw new Error(`s3rver did not start:\n${output}`);
		} else await sleep(50);
	}
	const endpoint = `https://localhost:${port}`;

	/** Every key under the prefix (s3rver checks the key ID and the payload hash, not the signature). */
	const keys = () =>
		new Promise((resolve, reject) => {
			const now = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
			const headers = {
				'x-amz-date': now,
				'x-amz-content-sha256': createHash('sha256').update('').digest('hex'),
				Authorization: `AWS4-HMAC-SHA256 Credential=S3RVER/${now.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=00`
			};
			const path = `/${bucket}?list-type=2&max-keys=1000&prefix=${encodeURIComponent(prefix)}`;
			const req = request({ host: 'localhost', port, path, headers, ca }, (res) => {
				let body = '';
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => {
					if (res.statusCode !== 200) reject(new Error(`s3rver list: ${res.statusCode} ${body.slice(0, 200)}`));
					else resolve([...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).sort());
				});
			});
			req.on('error', reject);
			req.end();
		});

	return {
		endpoint,
		panelEnv: {
			R2_ENDPOINT_HOST_ALLOWLIST: 'localhost',
			PRIVATE_NETWORK_ALLOWLIST: '127.0.0.1,::1,localhost',
			EXTRA_CA_FILE: join(dir, 'ca.crt'),
			R2_BACKUP_ENABLED: 'true',
			R2_ENDPOINT_URL: endpoint,
			R2_BUCKET_NAME: bucket,
			R2_REGION: 'us-east-1',
			R2_KEY_PREFIX: prefix,
			R2_ACCESS_KEY_ID: 'S3RVER',
			R2_SECRET_ACCESS_KEY: 'S3RVER'
		},
		keys,
		stop
	};
}
