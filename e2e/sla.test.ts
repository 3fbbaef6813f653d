import type { StartConversationResponse } from '@kefu/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';

/**
 * SLA in the agent console, real Chromium against a real server: a customer handed off as urgent shows
 * a running countdown in the inbox; when the server's clock passes the 5-minute first-response target
 * and the sweep runs, the badge turns red in the list and the header, and a notice says so. The
 * server's clock is moved by the test (no waiting five minutes).
 */

const SCREENSHOT = '/tmp/sla.png';
let offset = 0;
const clock = { now: () => new Date(Date.now() + offset) };

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureBuilt('@kefu/protocol', '@kefu/console');
  server = await startTestServer({ listen: true, clock });
  browser = await launchChromium();
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('SLA badges in the inbox', () => {
  it('counts down a handed-off conversation and shows it breached, with a notice', { timeout: 120_000 }, async () => {
    const token = await demoAdminToken(server);
    await page.goto(`${server.url}/app/`);
    await page.getByLabel('邮箱').fill(server.demo!.adminEmail);
    await page.getByLabel('密码').fill(server.demo!.adminPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.conn[data-state="open"]').waitFor();

    const started = await fetch(`${server.url}/v1/widget/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-widget-key': server.demo!.workspace.widgetKey },
      body: JSON.stringify({ locale: 'zh-CN', contact: { name: '王女士' } }),
    });
    const { conversation } = (await started.json()) as StartConversationResponse;
    const handoff = await fetch(`${server.url}/v1/conversations/${conversation.id}/handoff`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ reason: 'customer_request', priority: 'urgent' }),
    });
    expect(handoff.status).toBe(200);

    const item = page.locator(`[data-conversation-id="${conversation.id}"]`);
    const badge = item.locator('[data-testid="sla-badge"]');
    await badge.waitFor();
    expect(await badge.getAttribute('data-sla')).toBe('running');
    // An urgent conversation has 5 minutes; the badge counts down from 5:00 (in the first second it still says 5:00).
    expect(await badge.textContent()).toMatch(/^(5:00|[0-4]:[0-5]\d)/);

    offset += 6 * 60_000;
    await server.deps.sla.sweep();
    await item.locator('[data-testid="sla-badge"][data-sla="breached"]').waitFor();
    expect(await badge.textContent()).toContain('已超时');
    const toast = page.locator('[data-testid="sla-breach-toast"]');
    await toast.waitFor();
    expect(await toast.textContent()).toContain('首次响应');

    await toast.getByRole('button', { name: '打开' }).click();
    await page.locator('.conv-head [data-testid="sla-badge"][data-sla="breached"]').waitFor();
    expect(await page.locator('.conv-head [data-testid="sla-badge"]').textContent()).toContain('首次响应');
    await page.screenshot({ path: SCREENSHOT });
  });
});
