import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// WEB_OUT / WEB_KIT_DIR let two builds run side by side (the default is build/ and .svelte-kit/).
const out = process.env.WEB_OUT ?? 'build';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	vitePlugin: {
		// Runes mode for our own components; libraries keep whatever they were written in.
		dynamicCompileOptions: ({ filename }) =>
			filename.includes('node_modules') ? undefined : { runes: true }
	},
	kit: {
		// The C++ server serves build/index.html for `/` and build/200.html for SPA deep links.
		// A fallback named index.html would overwrite the prerendered page, hence 200.html.
		adapter: adapter({ pages: out, assets: out, fallback: '200.html', strict: true }),
		outDir: process.env.WEB_KIT_DIR ?? '.svelte-kit',
		// Absolute asset URLs, so the fallback page works at any depth.
		paths: { relative: false }
	}
};

export default config;
