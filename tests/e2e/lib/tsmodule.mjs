// Loads a dependency-free module of web/src/lib (type-only imports are fine) by
// transpiling it with the web app's own TypeScript, for unit tests of pure rules.
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './server.mjs';

/**
 * @param {string} path relative to web/src, e.g. 'lib/promptTags.ts'
 * @returns {Promise<{ module: any, cleanup: () => Promise<void> }>}
 */
export async function loadWebModule(path) {
	const require = createRequire(join(repoRoot, 'web', 'package.json'));
	const ts = require('typescript');
	const source = await readFile(join(repoRoot, 'web', 'src', path), 'utf8');
	const { outputText } = ts.transpileModule(source, {
		compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }
	});
	if (/^\s*import\s(?!type\b)/m.test(outputText)) {
		throw new Error(`${path} has runtime imports; loadWebModule only handles self-contained modules`);
	}
	const dir = await mkdtemp(join(tmpdir(), 'panel-tsmodule-'));
	const file = join(dir, basename(path).replace(/\.ts$/, '.mjs'));
	await writeFile(file, outputText);
	const module = await import(pathToFileURL(file).href);
	return { module, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
