import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The server hosts dist/ under /widget/ and answers GET /demo with dist/demo.html, so every asset URL
// is absolute under /widget/. The frame (frame.html) is the chat app inside the embed iframe; the loader
// (loader.js) is built separately by vite.loader.config.ts to keep its name stable.
export default defineConfig({
  base: '/widget/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        demo: fileURLToPath(new URL('./demo.html', import.meta.url)),
        frame: fileURLToPath(new URL('./frame.html', import.meta.url)),
      },
    },
  },
  server: {
    // `npm run dev -w @kefu/widget` next to `npm run dev` (the API on :3000).
    proxy: { '/v1': { target: 'http://127.0.0.1:3000', ws: true }, '/demo/config.json': 'http://127.0.0.1:3000' },
  },
});
