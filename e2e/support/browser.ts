import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

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
