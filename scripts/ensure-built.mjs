#!/usr/bin/env node
// Builds each workspace whose sources are newer than its last build, so that `npm install && npm start`
// works on a fresh clone and a second `npm start` does not rebuild what is already built.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const workspaces = [
  { name: '@kefu/protocol', dir: 'packages/protocol', inputs: ['src', 'package.json', 'tsconfig.json'] },
  { name: '@kefu/server', dir: 'apps/server', inputs: ['src', 'package.json', 'tsconfig.json'] },
  { name: '@kefu/console', dir: 'apps/console', inputs: ['src', 'index.html', 'package.json', 'vite.config.ts'] },
  { name: '@kefu/widget', dir: 'apps/widget', inputs: ['src', 'demo.html', 'package.json', 'vite.config.ts'] },
];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

// `node scripts/ensure-built.mjs @kefu/protocol @kefu/server` builds only those (tests need no UI build).
const only = process.argv.slice(2);
let upstreamRebuilt = false;
for (const ws of workspaces) {
  if (only.length && !only.includes(ws.name)) continue;
  const dir = join(root, ws.dir);
  if (!existsSync(join(dir, 'src'))) continue;
  const stamp = join(dir, 'dist', '.built');
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const changed = Math.max(...ws.inputs.map((i) => newest(join(dir, i))));
  if (!upstreamRebuilt && built >= changed) continue;
  process.stderr.write(`kefu: building ${ws.name}\n`);
  // Always a production build: under Vitest NODE_ENV=test, and Vite would bundle React's development build.
  const r = spawnSync('npm', ['run', 'build', '--silent', '-w', ws.name], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    process.stderr.write(`kefu: build of ${ws.name} failed\n`);
    process.exit(r.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString());
  upstreamRebuilt = ws.dir === 'packages/protocol' || upstreamRebuilt;
}
