import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/browser.js';

const dist = fileURLToPath(new URL('../apps/widget/dist/', import.meta.url));
const gz = (file: string) => gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Every JS and CSS file the frame page loads: its own tags, then static imports of those chunks. */
function frameAssets(): string[] {
  const html = readFileSync(`${dist}frame.html`, 'utf8');
  const found = new Set([...html.matchAll(/(?:src|href)="\/widget\/([^"]+\.(?:js|css))"/g)].map((m) => m[1]!));
  for (const file of [...found]) {
    if (!file.endsWith('.js')) continue;
    for (const m of readFileSync(`${dist}${file}`, 'utf8').matchAll(/from\s*"\.\/([^"]+\.js)"/g)) found.add(`assets/${m[1]}`);
  }
  return [...found];
}

describe('widget bundle sizes (gzip)', () => {
  beforeAll(() => ensureBuilt('@kefu/protocol', '@kefu/widget'), 300_000);

  it('keeps the loader at most 10 KB and the frame app (JS + CSS) at most 60 KB', () => {
    const loader = gz('loader.js');
    const assets = frameAssets();
    const frame = assets.reduce((sum, f) => sum + gz(f), 0);
    console.info(`widget sizes (gzip): loader.js ${kb(loader)}; frame ${kb(frame)} [${assets.join(', ')}]`);
    expect(assets.some((f) => f.endsWith('.css'))).toBe(true);
    expect(loader).toBeLessThanOrEqual(10 * 1024);
    expect(frame).toBeLessThanOrEqual(60 * 1024);
  });
});
