import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../apps/server/src/test-support/files.js';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';
import { type ShopSite, shopPage, startShopSite } from './support/shop-site.js';

// A customer on a shop's site sends a photo through the embedded widget: it shows at once, uploads, and
// stays in the conversation as a thumbnail served by kefu; a file the workspace would refuse is refused
// in the widget, in the customer's language, and nothing is sent. Agents get the file through the API.

const STEP_TIMEOUT = 60_000;
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

let server: TestServer;
let site: ShopSite;
let siteUrl: string;
let browser: Browser;
let page: Page;
const uploads: Array<{ status: number; body: { message: { conversationId: string; parts: { url: string }[] } } }> = [];

const frame = () => page.frameLocator('iframe[src*="/widget/frame.html"]');
const contactMessages = () => frame().locator('[data-testid="message"][data-author="contact"]');
const attachButton = () => frame().getByRole('button', { name: '发送图片或文件' });

describe('sending files from the embedded widget', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true, env: { ATTACHMENT_MAX_MB: '1' } });
    const key = server.demo!.workspace.widgetKey;
    site = await startShopSite(() => shopPage({ kefuUrl: server.url, widgetKey: key, locale: 'zh-CN' }));
    siteUrl = site.url;
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
    page.on('response', async (r) => {
      if (r.request().method() === 'POST' && r.url().endsWith('/attachments')) uploads.push({ status: r.status(), body: await r.json().catch(() => null) });
    });
    await page.goto(`${siteUrl}/`);
    await page.getByRole('button', { name: /打开在线客服/ }).click();
    await frame().getByRole('textbox').waitFor({ timeout: 15_000 });
    await frame().locator('[data-testid="message"][data-author="bot"]').first().waitFor({ timeout: 15_000 });
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  it(
    'sends an image chosen with the keyboard and shows it once, as a thumbnail that opens full size',
    async () => {
      // Listening early: the chat runs in another origin's process, where catching the chooser takes a moment to set up.
      const choosing = page.waitForEvent('filechooser');
      await eventually(() => attachButton().isVisible()).toBe(true);
      // Opening the chat puts the cursor in the message field; the paperclip is one Shift+Tab away.
      const textbox = frame().getByRole('textbox');
      await eventually(() => textbox.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Shift+Tab');
      expect(await attachButton().evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');
      const chooser = await choosing;
      expect(chooser.isMultiple()).toBe(true);
      await chooser.setFiles({ name: '收据.png', mimeType: 'image/png', buffer: solidPng(320, 200) });

      const thumbnail = contactMessages().getByRole('img', { name: '收据.png' });
      await eventually(() => thumbnail.getAttribute('src')).toMatch(/^\/v1\/attachments\/[^/]+\/[\w-]+\/%E6%94%B6%E6%8D%AE\.png$/);
      await eventually(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(320);
      const link = contactMessages().getByRole('link', { name: '查看原图：收据.png' });
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('href')).toBe(await thumbnail.getAttribute('src'));
      // The socket echo and the upload's answer are the same message: it is shown once.
      await page.waitForTimeout(500);
      expect(await contactMessages().count()).toBe(1);
      expect(uploads.map((u) => u.status)).toEqual([200]);
    },
    STEP_TIMEOUT,
  );

  it(
    'sends a pasted screenshot',
    async () => {
      const png = solidPng(64, 48).toString('base64');
      await frame()
        .getByRole('textbox')
        .evaluate((input, data) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const clipboard = new DataTransfer();
          clipboard.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
          input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
        }, png);
      const pasted = contactMessages().getByRole('img', { name: 'image.png' });
      await eventually(() => pasted.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
      expect(await contactMessages().count()).toBe(2);
    },
    STEP_TIMEOUT,
  );

  it(
    'refuses a file of the wrong type or over the size limit in the widget, in Chinese, and sends nothing',
    async () => {
      const input = frame().locator('input[type="file"]');
      await input.setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
      const error = frame().getByTestId('chat-error');
      await eventually(() => error.textContent()).toContain('无法发送“logo.svg”：不支持这种文件。可以发送 PNG、JPEG、GIF、WebP、PDF、TXT、Word、Excel。');
      expect(await error.getAttribute('data-code')).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');

      await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(1024 * 1024 + 1, 1) });
      await eventually(() => error.textContent()).toContain('“huge.png”太大了，最大可发送 1 MB 的文件。');
      await page.waitForTimeout(300);
      expect(await contactMessages().count()).toBe(2);
      expect(uploads).toHaveLength(2);
    },
    STEP_TIMEOUT,
  );

  it(
    'hands the file to agents through the API, byte for byte',
    async () => {
      const token = await demoAdminToken(server);
      const { conversationId } = uploads[0]!.body.message;
      const r = await fetch(`${server.url}/v1/conversations/${conversationId}/messages`, { headers: { authorization: `Bearer ${token}` } });
      const items = ((await r.json()) as { items: { author: { type: string }; parts: { type: string; url: string; name: string }[] }[] }).items;
      const files = items.flatMap((m) => m.parts.filter((p) => p.type === 'attachment'));
      expect(files.map((f) => f.name)).toEqual(['收据.png', 'image.png']);
      const image = await fetch(`${server.url}${files[0]!.url}`);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await image.arrayBuffer()).equals(solidPng(320, 200))).toBe(true);
    },
    STEP_TIMEOUT,
  );
});
