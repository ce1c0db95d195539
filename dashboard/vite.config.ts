import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// In development (`npm run dev -w dashboard`) the API runs on 8080 and the page on Vite's port.
const api = process.env.EMMA_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [solid()],
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    proxy: { '/api': api, '/health': api, '/ready': api },
  },
});
