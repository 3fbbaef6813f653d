import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';
import { type ShopSite, shopPage, startShopSite } from './support/shop-site.js';

// Before the chat is even open: a greeting bubble invites the visitor in (once), and a visitor who has
// written sees on the launcher's badge that an agent answered while they were on another page.

const STEP_TIMEOUT = 90_000;
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

let server: TestServer;
let site: ShopSite;
let siteUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let admin: { authorization: string; 'content-type': string };

const frame = () => page.frameLocator('iframe[src*="/widget/frame.html"]');
const launcher = () => page.locator('[data-kefu-widget] button.l');
const badge = () => page.locator('[data-kefu-widget] .b');
const bubble = () => page.getByTestId('kefu-greeting');

async function api(method: string, path: string, body?: object) {
  const r = await fetch(`${server.url}${path}`, { method, headers: admin, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

describe('the widget before it is opened', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true });
    admin = { authorization: `Bearer ${await demoAdminToken(server)}`, 'content-type': 'application/json' };
    const key = server.demo!.workspace.widgetKey;
    site = await startShopSite(() => shopPage({ kefuUrl: server.url, widgetKey: key }));
    siteUrl = site.url;
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'zh-TW', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  it(
    'greets a new visitor in their language after the delay, opens the chat from the bubble, and does not greet again',
    async () => {
      await api('PATCH', '/v1/settings', {
        widget: { proactive: { enabled: true, delaySeconds: 1, message: { 'zh-CN': '需要帮忙吗？', 'zh-TW': '需要幫忙嗎？', en: 'Need a hand?' } } },
      });
      await page.goto(`${siteUrl}/products`);
      await eventually(() => launcher().count()).toBe(1);
      // Not before the delay has passed…
      expect(await bubble().count()).toBe(0);
      // …then in Traditional Chinese (the browser's language), with the badge and the launcher's label saying so.
      await eventually(() => bubble().count()).toBe(1);
      expect(await bubble().textContent()).toContain('需要幫忙嗎？');
      expect(await badge().textContent()).toBe('1');
      expect(await launcher().getAttribute('aria-label')).toContain('1 則未讀訊息');

      await bubble().getByRole('button', { name: '需要幫忙嗎？' }).click();
      await eventually(() => frame().getByRole('textbox').count()).toBe(1);
      expect(await bubble().count()).toBe(0);
      expect(await badge().isHidden()).toBe(true);

      // Seen once is enough: the next page does not greet again.
      await page.goto(`${siteUrl}/cart`);
      await eventually(() => launcher().count()).toBe(1);
      await page.waitForTimeout(2_000);
      expect(await bubble().count()).toBe(0);
    },
    STEP_TIMEOUT,
  );

  it(
    'lets the visitor dismiss the greeting with its close button',
    async () => {
      const other = await context.browser()!.newContext({ locale: 'en-US' });
      const p = await other.newPage();
      await p.goto(`${siteUrl}/`);
      const b = p.getByTestId('kefu-greeting');
      await expect.poll(() => b.count(), { timeout: 15_000 }).toBe(1);
      expect(await b.textContent()).toContain('Need a hand?');
      await b.getByRole('button', { name: 'Dismiss' }).click();
      expect(await b.count()).toBe(0);
      expect(await p.locator('[data-kefu-widget] .b').isHidden()).toBe(true);
      await p.reload();
      await p.waitForTimeout(2_000);
      expect(await b.count()).toBe(0);
      await other.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'counts an agent’s replies that arrive while the visitor browses other pages, before they open the chat',
    async () => {
      await launcher().click();
      await eventually(() => frame().getByRole('textbox').count()).toBe(1);
      await frame().getByRole('textbox').fill('我要转人工');
      await frame().getByRole('textbox').press('Enter');
      await eventually(() => frame().locator('[data-testid="message"][data-author="contact"]').count()).toBeGreaterThan(0);
      // A third-party frame may not use storage here: the loader keeps the frame's saved session in the page's.
      const saved = await page.evaluate(() => {
        const store = JSON.parse(localStorage.getItem(Object.keys(localStorage).find((k) => /^kefu\.widget\.[^.]+$/.test(k))!)!);
        return JSON.parse(store[Object.keys(store).find((k) => k.endsWith('.anon'))!]);
      });
      const conversationId: string = saved.conversationId;
      await eventually(async () => (await api('GET', `/v1/conversations/${conversationId}`)).status).toMatch(/queued|assigned/);
      // The visitor has read everything so far before closing (a queue notice may follow the hand-off a moment later).
      const botReplies = async () =>
        ((await api('GET', `/v1/conversations/${conversationId}/messages`)).items as { author: { type: string } }[]).filter((m) => m.author.type === 'bot')
          .length;
      let settled = -1;
      await eventually(async () => {
        const [before, after] = [await botReplies(), await new Promise((r) => setTimeout(r, 1_000)).then(botReplies)];
        settled = after;
        return before === after;
      }).toBe(true);
      await eventually(() => frame().locator('[data-testid="message"][data-author="bot"]').count()).toBe(settled);
      await launcher().click();

      // The visitor goes to another page with the chat closed; the agent answers twice meanwhile.
      await page.goto(`${siteUrl}/orders`);
      await eventually(() => launcher().count()).toBe(1);
      // The chat loads in the background (hidden) and catches up with the conversation first.
      await eventually(() => frame().locator('[data-testid="message"][data-author="contact"]').count()).toBe(1);
      if ((await api('GET', `/v1/conversations/${conversationId}`)).status === 'queued') await api('POST', `/v1/conversations/${conversationId}/claim`);
      await api('POST', `/v1/conversations/${conversationId}/messages`, { text: '您好，我是客服小王。' });
      await api('POST', `/v1/conversations/${conversationId}/messages`, { text: '请问订单号是多少？' });

      await eventually(() => badge().textContent()).toBe('2');
      expect(await launcher().getAttribute('aria-label')).toContain('2 則未讀訊息');
      // The chat was loaded in the background, not shown.
      expect(await page.locator('[data-kefu-widget] iframe').isHidden()).toBe(true);

      await launcher().click();
      await eventually(() => frame().getByText('请问订单号是多少？').count()).toBe(1);
      expect(await badge().isHidden()).toBe(true);

      // Read is read: another page does not count them again.
      await launcher().click();
      await page.goto(`${siteUrl}/help`);
      await eventually(() => page.locator('[data-kefu-widget] iframe').count()).toBe(1);
      await page.waitForTimeout(2_000);
      expect(await badge().isHidden()).toBe(true);
    },
    STEP_TIMEOUT,
  );
});
