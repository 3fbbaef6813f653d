import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The server hosts dist/ under /widget/ and answers GET /demo with dist/demo.html, so every asset URL
// is absolute under /widget/. More pages (the iframe frame/, the loader) become further inputs here.
export default defineConfig({
  base: '/widget/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: { demo: fileURLToPath(new URL('./demo.html', import.meta.url)) },
    },
  },
  server: {
    // `npm run dev -w @kefu/widget` next to `npm run dev` (the API on :3000).
    proxy: { '/v1': { target: 'http://127.0.0.1:3000', ws: true }, '/demo/config.json': 'http://127.0.0.1:3000' },
  },
});
