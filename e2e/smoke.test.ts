import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let server: ChildProcess;
let url: string;
let stdout = '';

/** Starts `kefu serve` from the build, which is what `npm start` runs after ensure-built. */
function start(): Promise<string> {
  server = spawn(process.execPath, [join(ROOT, 'apps/server/bin/kefu.js'), 'serve'], {
    cwd: dir,
    env: { PATH: process.env.PATH, PORT: '0', DATA_DIR: join(dir, 'data'), DATABASE_URL: `sqlite:${join(dir, 'data', 'kefu.db')}`, LOG_LEVEL: 'warn' },
  });
  return new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stdout}`)), 60_000);
    server.stdout!.on('data', (b) => {
      stdout += String(b);
      const m = stdout.match(/kefu is running — (http:\/\/\S+)/);
      if (m && /Password\s+\S+/.test(stdout)) {
        clearTimeout(timer);
        resolveUrl(m[1]!);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${stdout}`)));
  });
}

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/ensure-built.mjs')], { stdio: 'inherit' });
  dir = mkdtempSync(join(tmpdir(), 'kefu-smoke-'));
  url = await start();
}, 300_000);

afterAll(() => {
  if (server.exitCode === null) server.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('built server, started as npm start does', () => {
  it('prints the URLs and generated demo credentials', () => {
    expect(stdout).toMatch(/Agent console\s+http:\/\/127\.0\.0\.1:\d+\/app\//);
    expect(stdout).toMatch(/Demo admin\s+admin@demo\.kefu\.local/);
    const password = stdout.match(/Password\s+(\S+)/)?.[1];
    expect(password?.length ?? 0).toBeGreaterThanOrEqual(10);
  });

  it('serves the console, the demo page and the API docs', async () => {
    for (const path of ['/app/', '/demo', '/docs']) {
      const r = await fetch(`${url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toContain('text/html');
    }
  });

  it('chats over HTTP in Chinese and English and hands off on request', async () => {
    const { widgetKey } = await (await fetch(`${url}/demo/config.json`)).json();
    const start = await (
      await fetch(`${url}/v1/widget/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kefu-widget-key': widgetKey },
        body: '{"locale":"zh-CN"}',
      })
    ).json();
    const send = async (text: string) =>
      (
        await fetch(`${url}/v1/widget/conversations/${start.conversation.id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${start.visitorToken}` },
          body: JSON.stringify({ text }),
        })
      ).json();
    expect((await send('运费多少钱')).replies[0].text).toContain('99');
    expect((await send('How do I return an item?')).replies[0].metadata.kind).toBe('answer');
    expect((await send('转人工')).conversation.status).toBe('queued');
    expect((await send('有人吗')).replies).toEqual([]);
  });

  it('shuts down cleanly on SIGTERM, answering the request in flight', async () => {
    const pending = fetch(`${url}/readyz`).then((r) => r.status);
    server.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => server.on('exit', (c) => r(c)));
    expect(await pending).toBe(200);
    expect(code).toBe(0);
  });
});
