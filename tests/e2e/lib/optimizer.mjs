// A small Chat Completions server on HTTPS for the prompt optimizer tests (spec
// §6.10), with a throwaway test CA. Markers in the user's image idea steer it:
// [opt:status=N] answers HTTP N, [opt:delay=MS] waits first. Otherwise it answers
// "Optimized: <idea>" inside a Markdown code fence (which the panel must strip).
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './server.mjs';

export const OPTIMIZER_MODEL = 'mock-optimizer-1';

/** The part of the user message after "User image idea:", markers removed. */
function ideaOf(content) {
	const idea = String(content).split('User image idea:\n').pop() ?? '';
	return idea.replace(/\[opt:[^\]]*\]/g, '').trim();
}

/**
 * @returns {Promise<{ url: string, panelEnv: Record<string, string>,
 *   requests: Array<{ authorization: string | undefined, body: any }>, stop: () => Promise<void> }>}
 */
export async function startOptimizer() {
	const dir = await mkdtemp(join(tmpdir(), 'panel-e2e-optimizer-'));
	execFileSync('bash', [join(repoRoot, 'scripts', 'make-test-certs.sh'), dir], { stdio: 'ignore' });
	/** @type {Array<{ authorization: string | undefined, body: any }>} */
	const requests = [];
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();

	const server = createServer(
		{ cert: await readFile(join(dir, 'server.crt')), key: await readFile(join(dir, 'server.key')) },
		(req, res) => {
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				let body = null;
				try {
					body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
				} catch {
					// Recorded as null; the test will notice.
				}
				requests.push({ authorization: req.headers.authorization, body });
				const user = body?.messages?.find((m) => m.role === 'user')?.content ?? '';
				const status = Number(/\[opt:status=(\d+)\]/.exec(user)?.[1] ?? 200);
				const delay = Number(/\[opt:delay=(\d+)\]/.exec(user)?.[1] ?? 0);
				setTimeout(() => {
					if (res.destroyed) return;
					res.setHeader('Content-Type', 'application/json');
					if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
						res.writeHead(404).end(JSON.stringify({ error: { message: 'not found' } }));
					} else if (status !== 200) {
						res.writeHead(status).end(JSON.stringify({ error: { message: 'injected failure' } }));
					} else {
						res.writeHead(200).end(
							JSON.stringify({
								id: 'chatcmpl-e2e',
								object: 'chat.completion',
								model: OPTIMIZER_MODEL,
								choices: [
									{
										index: 0,
										message: { role: 'assistant', content: '```\nOptimized: ' + ideaOf(user) + '\n```' },
										finish_reason: 'stop'
									}
								]
							})
						);
					}
				}, delay);
			});
		}
	);
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());

	const stop = async () => {
		for (const socket of sockets) socket.destroy();
		await new Promise((resolve) => server.close(resolve));
		await rm(dir, { recursive: true, force: true });
	};
	return {
		url: `https://127.0.0.1:${port}/v1/chat/completions`,
		panelEnv: {
			EXTRA_CA_FILE: join(dir, 'ca.crt'),
			PRIVATE_NETWORK_ALLOWLIST: '127.0.0.1'
		},
		requests,
		stop
	};
}
