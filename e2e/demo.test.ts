import type { Browser, BrowserContext, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { ensureBuilt, launchChromium } from './support/browser.js';

const STEP_TIMEOUT = 60_000;

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** The demo page embeds the real widget: the chat lives in its iframe (same origin as the page here). */
const widget = (p: Page = page): FrameLocator => p.frameLocator('iframe[src*="/widget/frame.html"]');
const composer = () => widget().getByRole('textbox');
const messages = (author: 'contact' | 'bot' | 'agent') => widget().locator(`[data-testid="message"][data-author="${author}"]`);
const status = () => widget().getByTestId('chat-status');
const savedSession = () =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('kefu.w.') && k.endsWith('.anon'));
    return key ? (JSON.parse(localStorage.getItem(key)!) as { conversationId: string }) : null;
  });

/** Waits for what a visitor would wait for: answers and live frames take a moment. */
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

async function ask(text: string) {
  await composer().fill(text);
  await composer().press('Enter');
}

describe('demo chat page', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    page = await context.newPage();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'greets in the browser language and answers a shipping question with the free-shipping threshold',
    async () => {
      await page.goto(`${server.url}/demo`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await eventually(() => messages('bot').first().textContent()).toContain('欢迎来到云朵商城');
      // The greeting's quick replies are chips that send themselves.
      await eventually(() => widget().getByRole('group', { name: '推荐问题' }).getByRole('button').count()).toBeGreaterThan(0);

      await ask('运费多少钱');
      await eventually(() => messages('contact').last().textContent()).toContain('运费多少钱');
      const answer = messages('bot').nth(1);
      await eventually(() => answer.textContent()).toContain('99元');
      await eventually(() => answer.getByTestId('sources').textContent()).toMatch(/^来源：.+/);
      expect(await composer().inputValue()).toBe('');
      expect(await status().getAttribute('data-status')).toBe('bot');
    },
    STEP_TIMEOUT,
  );

  it(
    'restores the conversation after a reload without duplicating messages',
    async () => {
      const before = await savedSession();
      await page.reload();
      await eventually(() => messages('bot').nth(1).textContent()).toContain('99元');
      expect(await messages('contact').count()).toBe(1);
      expect(await messages('bot').count()).toBe(2);
      expect((await savedSession())?.conversationId).toBe(before?.conversationId);
    },
    STEP_TIMEOUT,
  );

  it(
    'switching to English starts a new English conversation',
    async () => {
      const chinese = await savedSession();
      await page.getByLabel('语言').selectOption('en');
      await eventually(() => messages('bot').first().textContent()).toContain('welcome to Cloud Mall');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      expect(await messages('contact').count()).toBe(0);
      expect((await savedSession())?.conversationId).not.toBe(chinese?.conversationId);

      await ask('How long does shipping take?');
      const answer = messages('bot').nth(1);
      await eventually(() => answer.textContent()).toMatch(/ship/i);
      expect(await answer.textContent()).not.toMatch(/[\u4e00-\u9fff]/);
      await eventually(() => answer.getByTestId('sources').textContent()).toMatch(/^Source: .+/);
    },
    STEP_TIMEOUT,
  );

  it(
    'hands over to a person on request and shows the agent reply live',
    async () => {
      await ask('转人工');
      await eventually(() => widget().getByTestId('notice-queued').textContent()).toBe('Connecting you to a human agent…');
      await eventually(() => status().getAttribute('data-status')).toBe('queued');
      expect(await status().textContent()).toContain('Queued');

      const conversationId = (await savedSession())!.conversationId;
      const login = await fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: server.demo!.adminEmail, password: server.demo!.adminPassword }),
      });
      expect(login.status).toBe(200);
      const { token } = (await login.json()) as { token: string };
      const queued = (await (await fetch(`${server.url}/v1/conversations?status=queued`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
        items: Array<{ id: string }>;
      };
      expect(queued.items.map((c) => c.id)).toContain(conversationId);

      const reply = 'Hi, this is Lily from Cloud Mall. Your parcel leaves our warehouse today.';
      const posted = await fetch(`${server.url}/v1/conversations/${conversationId}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text: reply, kind: 'reply' }),
      });
      expect(posted.status).toBeLessThan(300);

      // Nothing reloads: the reply and the status change come over the WebSocket.
      await eventually(() => messages('agent').last().textContent()).toContain(reply);
      await eventually(() => status().getAttribute('data-status')).toBe('assigned');
      await eventually(() => widget().getByTestId('notice-assigned').count()).toBe(1);
      // "Joined" comes before the agent's first words.
      const order = await widget()
        .locator('[data-testid="chat-log"] > li')
        .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-testid')));
      expect(order.slice(-2)).toEqual(['notice-assigned', 'message']);
      expect(await messages('agent').count()).toBe(1);
    },
    STEP_TIMEOUT,
  );

  it(
    'explains a refused message and gives the text back for editing',
    async () => {
      const tooLong = '长'.repeat(4001);
      await ask(tooLong);
      const alert = widget().getByTestId('chat-error');
      await eventually(() => alert.getAttribute('data-code')).toBe('MESSAGE_TOO_LONG');
      expect(await alert.textContent()).toContain('That message is too long');
      expect(await composer().inputValue()).toBe(tooLong);
      expect(await messages('contact').filter({ hasText: tooLong }).count()).toBe(0);
      await alert.getByRole('button', { name: 'Dismiss' }).click();
      expect(await alert.isHidden()).toBe(true);
      await composer().fill('');
    },
    STEP_TIMEOUT,
  );

  it(
    'restores the handed-over conversation, agent reply included, after a reload',
    async () => {
      await page.reload();
      await eventually(() => messages('agent').count()).toBe(1);
      expect(await messages('contact').count()).toBe(2);
      expect(await status().getAttribute('data-status')).toBe('assigned');
      expect(await page.getByTestId('locale').inputValue()).toBe('en');
      await page.screenshot({ path: '/tmp/demo.png', fullPage: false });
    },
    STEP_TIMEOUT,
  );

  it(
    'fits a phone screen',
    async () => {
      const phone = await browser.newContext({ locale: 'zh-TW', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const mobile = await phone.newPage();
      await mobile.goto(`${server.url}/demo`);
      const chat = widget(mobile);
      await eventually(() => chat.locator('[data-testid="message"][data-author="bot"]').first().textContent()).toContain('歡迎來到雲朵商城');
      // Under 480 px the open widget covers the screen.
      const box = await mobile.locator('iframe[src*="/widget/frame.html"]').boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
      const overflow = await mobile.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await chat.getByRole('textbox').fill('可以用信用卡分期嗎？');
      await chat.getByRole('button', { name: '傳送', exact: true }).tap();
      await eventually(() => chat.locator('[data-testid="message"][data-author="bot"]').count()).toBe(2);
      await mobile.screenshot({ path: '/tmp/demo-mobile.png' });
      await phone.close();
    },
    STEP_TIMEOUT,
  );
});
