import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server hosts the build at /app/; in development the API is proxied to a local `kefu serve`. */
const API = process.env.KEFU_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/v1/ws': { target: API, ws: true },
      '/v1': { target: API },
    },
  },
});
