import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { LoginResponse } from '@kefu/protocol';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../apps/server/src/test-support/test-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

/**
 * Builds the given workspaces if their sources changed since the last build, with the same script
 * `npm start` uses. The server decides at start-up whether it hosts /app/ and /demo, so call this
 * before starting it.
 */
export function ensureBuilt(...workspaces: string[]): void {
  execFileSync(process.execPath, [`${ROOT}scripts/ensure-built.mjs`, ...workspaces], { stdio: 'inherit' });
}

/** Debian's Chromium, headless, without the background traffic this machine's closed network refuses. */
export async function launchChromium(): Promise<Browser> {
  // Chromium may still be arriving from apt when the suite starts; give it a few minutes.
  for (let waited = 0; !existsSync(CHROMIUM); waited += 2_000) {
    if (waited > 300_000) throw new Error(`${CHROMIUM} did not appear; install it with apt-get install chromium`);
    await sleep(2_000);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ConsoleHarness {
  server: TestServer;
  browser: Browser;
  context: BrowserContext;
  /** A zh-CN page, 1440 × 900, 15 s default timeout. */
  page: Page;
  close(): Promise<void>;
}

/** The console's browser tests' common start: built console, a listening demo server, Chromium, one page. */
export async function openConsoleHarness(): Promise<ConsoleHarness> {
  ensureBuilt('@kefu/protocol', '@kefu/console');
  const server = await startTestServer({ listen: true });
  const browser = await launchChromium();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return {
    server,
    browser,
    context,
    page,
    async close() {
      await context.close();
      await browser.close();
      await server.close();
    },
  };
}

/** A session token of the demo admin, through the API (as another tab or admin would have). */
export async function demoAdminToken(server: TestServer): Promise<string> {
  const login = await fetch(`${server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: server.demo!.adminEmail, password: server.demo!.adminPassword }),
  });
  if (login.status !== 200) throw new Error(`demo admin login failed: ${login.status}`);
  return ((await login.json()) as LoginResponse).token;
}
