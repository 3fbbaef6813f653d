import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';
import { type ShopSite, shopPage, startShopSite } from './support/shop-site.js';

const STEP_TIMEOUT = 60_000;
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

let server: TestServer;
let site: ShopSite;
let siteUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let secret: string;

/** What the shop's own code runs before the loader: queued identify() for `?user=` (`&tamper=1`: a forged hash). */
function pageScript(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const id = url.searchParams.get('user');
  const tamper = url.searchParams.get('tamper') === '1';
  const identify = id ? `kefu('identify', ${JSON.stringify({ id, name: 'Wang Fang', hash: tamper ? sign(`${id}x`) : sign(id) })});` : '';
  return `window.kefu = window.kefu || function () { (window.kefu.q = window.kefu.q || []).push(arguments); };
${identify}
window.kefuErrors = []; kefu('on', 'error', function (e) { window.kefuErrors.push(e.code); });`;
}

const frame = () => page.frameLocator('iframe[src*="/widget/frame.html"]');
const messages = (author: 'contact' | 'bot') => frame().locator(`[data-testid="message"][data-author="${author}"]`);
const launcher = () => page.getByRole('button', { name: /打开在线客服|開啟線上客服|Open chat/ });
const sign = (id: string) => createHmac('sha256', secret).update(id).digest('hex');

async function ask(text: string) {
  await frame().getByRole('textbox').fill(text);
  await frame().getByRole('textbox').press('Enter');
}

async function openWithKeyboard() {
  await eventually(() => launcher().count()).toBe(1);
  await launcher().focus();
  await page.keyboard.press('Enter');
  await eventually(() => frame().getByRole('textbox').count()).toBe(1);
}

describe('the widget embedded on another site', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true });
    const token = await demoAdminToken(server);
    const r = await fetch(`${server.url}/v1/settings/identity-secret`, { headers: { authorization: `Bearer ${token}` } });
    secret = ((await r.json()) as { secret: string }).secret;
    const key = server.demo!.workspace.widgetKey;
    site = await startShopSite((req) => shopPage({ kefuUrl: server.url, widgetKey: key, locale: 'zh-CN', before: pageScript(req) }));
    siteUrl = site.url;
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  it(
    'opens from the launcher with the keyboard and answers',
    async () => {
      await page.goto(`${siteUrl}/`);
      expect(await launcher().getAttribute('aria-expanded')).toBe('false');
      await openWithKeyboard();
      expect(await page.getByRole('button', { name: '关闭在线客服' }).getAttribute('aria-expanded')).toBe('true');
      await eventually(() => messages('bot').first().textContent()).toContain('欢迎来到云朵商城');
      await ask('运费多少钱');
      await eventually(() => messages('bot').nth(1).textContent()).toContain('99元');
    },
    STEP_TIMEOUT,
  );

  it(
    'shows the history again after a reload, though the third-party frame may not use storage',
    async () => {
      await page.reload();
      await openWithKeyboard();
      await eventually(() => messages('bot').nth(1).textContent()).toContain('99元');
      expect(await messages('contact').count()).toBe(1);
    },
    STEP_TIMEOUT,
  );

  it(
    'ignores forged and malformed messages and keeps working',
    async () => {
      await page.evaluate(() => {
        // From the page itself (wrong source and origin for the loader), and malformed shapes to the frame.
        window.postMessage({ source: 'kefu', type: 'close-request' }, '*');
        window.postMessage({ source: 'kefu', type: 'unread', count: 'lots' }, '*');
        const iframe = document.querySelector('[data-kefu-widget]')!.shadowRoot!.querySelector('iframe')!;
        iframe.contentWindow!.postMessage({ source: 'kefu', type: 'ask', text: { evil: true } }, '*');
        iframe.contentWindow!.postMessage({ source: 'kefu', type: 'identify', identity: { id: 1 } }, '*');
        iframe.contentWindow!.postMessage('{"source":"kefu","type":"close"}', '*');
      });
      await page.waitForTimeout(300);
      expect(await page.getByRole('button', { name: '关闭在线客服' }).getAttribute('aria-expanded')).toBe('true');
      expect(await messages('contact').count()).toBe(1);
      await ask('怎么申请退货退款？');
      await eventually(() => messages('bot').count()).toBe(3);
    },
    STEP_TIMEOUT,
  );

  it(
    'switches to Traditional Chinese',
    async () => {
      await frame().getByLabel('语言').selectOption('zh-TW');
      await eventually(() => messages('bot').first().textContent()).toContain('歡迎來到雲朵商城');
      expect(await messages('contact').count()).toBe(0);
      expect(await frame().getByRole('button', { name: '關閉客服視窗' }).count()).toBe(1);
      await frame().getByRole('button', { name: '關閉客服視窗' }).click();
      await eventually(() => page.getByRole('button', { name: /開啟線上客服|打开在线客服/ }).getAttribute('aria-expanded')).toBe('false');
    },
    STEP_TIMEOUT,
  );

  it(
    'shows a verified user their earlier conversation on another device, and refuses a tampered hash',
    async () => {
      await page.goto(`${siteUrl}/?user=customer-9`);
      await openWithKeyboard();
      await eventually(() => messages('bot').first().textContent()).toContain('欢迎');
      await ask('电子发票在哪里下载？');
      await eventually(() => messages('bot').count()).toBe(2);

      // A fresh browser (no saved session): the server resumes the verified user's conversation.
      const other = await browser.newContext({ locale: 'zh-CN' });
      const second = await other.newPage();
      page = second;
      await page.goto(`${siteUrl}/?user=customer-9`);
      await openWithKeyboard();
      await eventually(() => messages('contact').first().textContent()).toContain('电子发票在哪里下载');

      // The same id with a tampered hash: refused with a clear error and nothing from the history.
      const third = await (await browser.newContext({ locale: 'en' })).newPage();
      page = third;
      await page.goto(`${siteUrl}/?user=customer-9&tamper=1`);
      await openWithKeyboard();
      const alert = frame().getByTestId('chat-error');
      await eventually(() => alert.getAttribute('data-code')).toBe('IDENTITY_INVALID');
      expect(await alert.textContent()).toMatch(/verify|验证/);
      expect(await messages('contact').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { kefuErrors: string[] }).kefuErrors)).toContain('IDENTITY_INVALID');
      await other.close();
    },
    STEP_TIMEOUT,
  );
});
