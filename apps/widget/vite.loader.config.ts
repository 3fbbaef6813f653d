import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The loader sites embed: one classic script at a stable URL (/widget/loader.js), so it is built apart
// from the hashed app assets, as an IIFE, into the same dist/ after the main build.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2019',
    lib: {
      entry: fileURLToPath(new URL('./src/loader/loader.ts', import.meta.url)),
      name: 'kefuLoader',
      formats: ['iife'],
      fileName: () => 'loader.js',
    },
  },
});
