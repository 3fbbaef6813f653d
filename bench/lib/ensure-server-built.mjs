// Benchmarks import the compiled server (apps/server/dist), never its TypeScript sources, so the figures
// are those of what `npm start` runs. This builds @kefu/protocol and @kefu/server when a dist folder is
// missing or older than a source file the compiler would emit from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

const WORKSPACES = [
  { name: '@kefu/protocol', dir: 'packages/protocol', probe: 'index.js' },
  { name: '@kefu/server', dir: 'apps/server', probe: 'app.js' },
];

/** Sources tsc emits from: tests and test-support are excluded by both tsconfig files. */
const compiled = (rel) => rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !rel.endsWith('.test.ts') && !rel.startsWith('test-support/');

function staleSource(srcDir, distDir) {
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        const hit = walk(path);
        if (hit) return hit;
        continue;
      }
      const rel = relative(srcDir, path).split('\\').join('/');
      if (!compiled(rel)) continue;
      const out = join(distDir, rel.replace(/\.ts$/, '.js'));
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(path).mtimeMs) return rel;
    }
    return null;
  };
  return walk(srcDir);
}

/** Builds what is missing or stale; returns the names of the workspaces it built. */
export function ensureServerBuilt({ quiet = false } = {}) {
  const built = [];
  let upstreamRebuilt = false;
  for (const ws of WORKSPACES) {
    const dir = join(ROOT, ws.dir);
    const dist = join(dir, 'dist');
    const reason = !existsSync(join(dist, ws.probe)) ? 'dist missing' : staleSource(join(dir, 'src'), dist);
    if (!reason && !upstreamRebuilt) continue;
    if (!quiet)
      process.stderr.write(`bench: building ${ws.name} (${reason ? (reason === 'dist missing' ? reason : `${reason} changed`) : 'dependency rebuilt'})\n`);
    const r = spawnSync('npm', ['run', 'build', '--silent', '-w', ws.name], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`build of ${ws.name} failed (exit ${r.status})`);
    built.push(ws.name);
    upstreamRebuilt = true;
  }
  return built;
}
