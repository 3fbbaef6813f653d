import type { Message } from '@kefu/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../apps/server/src/test-support/files.js';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { ensureBuilt, launchChromium } from './support/browser.js';
import { type ApiCustomer, startCustomer } from './support/customer.js';

/**
 * An agent sends files from the console's reply box in real Chromium against a real server (files up
 * to 1 MB): the customer asks for a person; the agent picks a PNG with the keyboard, sees its thumbnail,
 * types a caption and sends; the customer gets one message with the caption and the file, byte for byte,
 * and the console shows it once. Files the server would refuse are refused before anything is sent, in
 * the agent's language; one only the server can judge (its bytes are not what its name says) is refused
 * by the server, shown the same way, and can be removed. Notes cannot carry files and say so. A file
 * dropped on the reply box over a slow line shows its progress, is cancelled, and later goes once.
 */

const POLL = { timeout: 10_000, interval: 50 };
const SCREENSHOT = '/tmp/agent-attachments.png';
const TYPES = 'PNG、JPEG、GIF、WebP、PDF、TXT、Word、Excel';

let server: TestServer;
let browser: Browser;
let page: Page;
let customer: ApiCustomer;
/** Every upload the console made, with the server's status. */
const uploads: number[] = [];

beforeAll(async () => {
  ensureBuilt('@kefu/protocol', '@kefu/console');
  server = await startTestServer({ listen: true, env: { ATTACHMENT_MAX_MB: '1' } });
  browser = await launchChromium();
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('response', (r) => {
    if (r.request().method() === 'POST' && r.url().endsWith('/attachments')) uploads.push(r.status());
  });

  await page.goto(`${server.url}/app/`);
  await page.getByLabel('邮箱').fill(server.demo!.adminEmail);
  await page.getByLabel('密码').fill(server.demo!.adminPassword!);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.conn[data-state="open"]').waitFor();

  customer = await startCustomer(server, { name: '王小明' });
  await customer.say('转人工');
  await page.goto(`${server.url}/app/c/${customer.id}`);
  await page.getByRole('log').getByText('转人工', { exact: true }).waitFor();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const agentFiles = async () => (await customer.messages()).filter((m) => m.author.type === 'agent' && m.parts.some((p) => p.type === 'attachment'));

/** A screenshot pasted into the reply box, as the clipboard hands it over (a file, no text). */
const pasteScreenshot = () =>
  page.getByTestId('composer-input').evaluate((area, data) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const clipboard = new DataTransfer();
    clipboard.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, solidPng(8, 8).toString('base64'));

describe('sending files from the agent console', () => {
  it('sends a picked image with its caption once, and the customer gets the same bytes', { timeout: 90_000 }, async () => {
    const composer = page.getByTestId('composer-input');
    const attach = page.getByTestId('attach-button');
    expect(await attach.getAttribute('aria-label')).toBe('添加附件');
    await expect.poll(() => attach.getAttribute('title'), POLL).toBe(`随回复发送图片或文件（也可粘贴或拖到这里）：${TYPES}，最大 1 MB。`);

    // Listening early: Chromium takes a moment to start handing file choosers to the test.
    const choosing = page.waitForEvent('filechooser');
    // The caption first; the paperclip is the next stop after the reply box, and Enter opens the file chooser.
    await composer.click();
    await composer.fill('这是您的发票截图，请查收。');
    await composer.press('Tab');
    expect(await attach.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    const png = solidPng(96, 64);
    await (await choosing).setFiles({ name: 'invoice.png', mimeType: 'image/png', buffer: png });

    // The chip shows the file with a local thumbnail; nothing has gone yet.
    const chip = page.getByTestId('attachment-chip');
    await chip.getByText('invoice.png').waitFor();
    const thumb = chip.locator('img');
    const preview = (await thumb.getAttribute('src'))!;
    expect(preview).toMatch(/^blob:/);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), POLL).toBe(96);
    expect(uploads).toEqual([]);
    await page.screenshot({ path: SCREENSHOT });

    await composer.press('Enter');
    await chip.waitFor({ state: 'detached' });
    expect(await composer.inputValue()).toBe('');

    // The customer has it: one message, the caption and the file, byte for byte.
    await expect.poll(async () => (await agentFiles()).length, POLL).toBe(1);
    const [sent] = (await agentFiles()) as [Message];
    expect(sent.text).toBe('这是您的发票截图，请查收。');
    const part = sent.parts.find((p) => p.type === 'attachment')!;
    expect(part).toMatchObject({ type: 'attachment', name: 'invoice.png', mimeType: 'image/png', size: png.length });
    const file = await fetch(`${server.url}${part.url}`);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(png)).toBe(true);

    // The console shows it once (the response and the live frame are the same message), with the image.
    const shown = page.getByRole('log').locator('.msg-agent', { hasText: '这是您的发票截图，请查收。' });
    await shown.getByRole('img', { name: 'invoice.png' }).waitFor();
    expect(await shown.count()).toBe(1);
    expect(await page.getByRole('log').locator(`[data-message-id="${sent.id}"]`).count()).toBe(1);
    expect(uploads).toEqual([200]);

    // Sending took the conversation over; the thumbnail's object URL is released.
    await page.getByTestId('conversation-owner').getByText('由我负责').waitFor();
    expect(
      await page.evaluate(
        (url) =>
          fetch(url).then(
            () => 'still there',
            () => 'revoked',
          ),
        preview,
      ),
    ).toBe('revoked');
  });

  it('refuses a file of a type or size the server would refuse, in Chinese, and sends nothing', { timeout: 60_000 }, async () => {
    const input = page.getByTestId('attach-input');
    const refusal = page.getByTestId('attachment-refusal');

    await input.setInputFiles({
      name: 'evil.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    });
    await refusal.getByText(`无法发送“evil.svg”：不支持这种文件。可以发送 ${TYPES}。`).waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    expect(await page.getByTestId('attachment-chip').count()).toBe(0);

    await input.setInputFiles({ name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ\x90\x00') });
    await refusal.getByText(`无法发送“setup.exe”：不支持这种文件。可以发送 ${TYPES}。`).waitFor();

    await input.setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(1024 * 1024 + 1, 1) });
    await refusal.getByText('“huge.png”太大了，最大可发送 1 MB 的文件。').waitFor();
    expect(await refusal.getAttribute('data-code')).toBe('ATTACHMENT_TOO_LARGE');

    // Enter with nothing attached and nothing typed sends nothing either.
    await page.getByTestId('composer-input').press('Enter');
    expect(await page.getByTestId('attachment-chip').count()).toBe(0);
    expect(uploads).toEqual([200]);
    expect(await agentFiles()).toHaveLength(1);
  });

  it('shows the server’s refusal of a disguised file, keeps it for retry or removal, and sends nothing', { timeout: 60_000 }, async () => {
    // Named and declared a PNG, but the bytes are text: only the server can tell.
    await page.getByTestId('attach-input').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not really a picture\n') });
    const chip = page.getByTestId('attachment-chip');
    await chip.getByText('photo.png').waitFor();
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => chip.getAttribute('data-state'), POLL).toBe('failed');
    await chip.getByRole('alert').getByText(`无法发送“photo.png”：不支持这种文件。可以发送 ${TYPES}。`).waitFor();
    expect(await chip.getByRole('alert').getAttribute('data-code')).toBe('ATTACHMENT_TYPE_NOT_ALLOWED');
    await chip.getByTestId('attachment-retry').waitFor();
    expect(uploads).toEqual([200, 415]);

    await chip.getByRole('button', { name: '移除 photo.png' }).click();
    await chip.waitFor({ state: 'detached' });
    expect(await agentFiles()).toHaveLength(1);
  });

  it('says why a note cannot carry a file', { timeout: 30_000 }, async () => {
    await page.locator('.composer-mode[data-mode="note"]').click();
    const attach = page.getByTestId('attach-button');
    await expect.poll(() => attach.getAttribute('aria-disabled'), POLL).toBe('true');
    expect(await attach.getAttribute('title')).toBe('内部备注不能附带文件。切换到“回复客户”即可发送给客户。');

    // A screenshot pasted into a note is not attached; the reason is shown instead.
    await pasteScreenshot();
    const refusal = page.getByTestId('attachment-refusal');
    await refusal.getByText('内部备注不能附带文件。切换到“回复客户”即可发送给客户。').waitFor();
    expect(await page.getByTestId('attachment-chip').count()).toBe(0);

    // Back in reply mode, a pasted screenshot is attached, ready to send.
    await page.locator('.composer-mode[data-mode="reply"]').click();
    await expect.poll(() => attach.getAttribute('aria-disabled'), POLL).toBeNull();
    await pasteScreenshot();
    await page.getByTestId('attachment-chip').getByText('image.png').waitFor();
    expect(uploads).toEqual([200, 415]);
  });

  it('takes a dropped file, shows its slow upload’s progress, cancels it, and sends the file once later', { timeout: 90_000 }, async () => {
    await page.getByRole('button', { name: '移除 image.png' }).click();
    // A slow line: about 64 KB a second up.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 64 * 1024 });

    const log = `${'2025-05-01 12:00:00 order 1042 shipped from warehouse 3\n'.repeat(12_000)}`;
    // Dragged from the desktop onto the reply box.
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'shipping.log', { type: 'text/plain' }));
      return dt;
    }, log);
    const form = page.locator('form.composer');
    await form.dispatchEvent('dragenter', { dataTransfer });
    await form.locator('.composer-drop').getByText('松开即可添加到回复').waitFor();
    await form.dispatchEvent('drop', { dataTransfer });
    await form.locator('.composer-drop').waitFor({ state: 'detached' });
    const chip = page.getByTestId('attachment-chip');
    await chip.getByText('shipping.log').waitFor();
    await page.getByTestId('composer-input').press('Enter');
    const bar = chip.getByRole('progressbar', { name: '正在发送 shipping.log' });
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), POLL).toBeGreaterThan(0);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(100);
    await chip.getByText(/^正在发送… \d+%$/).waitFor();
    await chip.getByTestId('attachment-cancel').click();
    await expect.poll(() => chip.getAttribute('data-state'), POLL).toBe('ready');
    await chip.getByText('shipping.log').waitFor();

    // On a good line again, the same file goes through, once.
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.getByTestId('composer-input').press('Enter');
    await chip.waitFor({ state: 'detached' });
    await expect.poll(async () => (await agentFiles()).length, POLL).toBe(2);
    const files = (await agentFiles()).flatMap((m) => m.parts.filter((p) => p.type === 'attachment').map((p) => p.name));
    expect(files).toEqual(['invoice.png', 'shipping.log']);
    expect(uploads).toEqual([200, 415, 200]);
    await page.getByRole('log').getByRole('link', { name: 'shipping.log' }).waitFor();
  });
});
