import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run against the protocol's source, so they need no build.
    alias: [
      { find: /^@kefu\/protocol\/rich-text$/, replacement: fileURLToPath(new URL('./packages/protocol/src/rich-text.ts', import.meta.url)) },
      { find: /^@kefu\/protocol$/, replacement: fileURLToPath(new URL('./packages/protocol/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['apps/*/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
