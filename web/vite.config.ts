import { sveltekit } from '@sveltejs/kit/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig, loadEnv } from 'vite';

export default defineConfig(({ mode }) => {
	// `npm run dev` talks to a panel on 127.0.0.1:9090 (make run); PANEL_URL overrides it.
	const backend = loadEnv(mode, '.', 'PANEL_').PANEL_URL || 'http://127.0.0.1:9090';
	return {
		plugins: [tailwindcss(), sveltekit()],
		server: {
			host: '127.0.0.1',
			port: 5173,
			strictPort: true,
			proxy: {
				'/api': { target: backend, changeOrigin: false },
				'/health': { target: backend, changeOrigin: false }
			}
		},
		preview: { host: '127.0.0.1', port: 4173, strictPort: true }
	};
});
