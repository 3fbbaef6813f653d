import type { Message } from '@kefu/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';
import { type WidgetCustomer, widgetCustomer } from './support/customer.js';
import { type CuttableProxy, startCuttableProxy } from './support/cuttable-proxy.js';
import { type ShopSite, shopPage, startShopSite } from './support/shop-site.js';

/**
 * The widget on a shop on another origin loses its network in the middle of a chat, for real: its
 * script, REST calls and WebSocket all pass through a TCP proxy the test cuts (open connections reset,
 * new ones reset too) and restores. While it is down the customer writes and an agent takes the
 * conversation over and replies; once it is back the widget reconnects by itself, and every message
 * is there exactly once — in the widget, on the server, and after a reload.
 */

const STEP_TIMEOUT = 90_000;
/** Long enough for the widget's reconnect backoff (it doubles from 0.5 s) to come round after the outage. */
const RECONNECT_TIMEOUT = 30_000;
const eventually = <T>(read: () => Promise<T> | T, message?: string) =>
  expect.poll(read, { timeout: RECONNECT_TIMEOUT, interval: 100, ...(message ? { message } : {}) });

const OFFLINE_QUESTION = '我下午不在家，快递能放驿站吗？';
const AGENT_REPLY = '您好，我是客服小周。可以的，我已备注放驿站，到了会短信通知您。';

let server: TestServer;
let proxy: CuttableProxy;
let site: ShopSite;
let siteUrl: string;
let browser: Browser;
let page: Page;
let customer: WidgetCustomer;
let adminToken: string;
let conversationId: string;

/** The conversation as the server keeps it: everything the customer may see, oldest first. */
async function serverMessages(): Promise<Message[]> {
  const r = await fetch(`${server.url}/v1/conversations/${conversationId}/messages?limit=200`, { headers: { authorization: `Bearer ${adminToken}` } });
  expect(r.status).toBe(200);
  return ((await r.json()) as { items: Message[] }).items.filter((m) => m.author.type !== 'note');
}

/** The ids of the messages in the widget's log, in the order shown (`local:…` while not yet stored). */
function shownIds(): Promise<string[]> {
  return customer.chat.locator('[data-testid="message"]').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.messageId ?? ''));
}

async function asAgent(path: string, body?: unknown) {
  const r = await fetch(`${server.url}/v1/conversations/${conversationId}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(r.status).toBe(200);
}

async function openChat() {
  await page.getByRole('button', { name: '打开在线客服' }).click();
  await customer.chat.getByRole('textbox').waitFor();
}

describe('the embedded widget through a network drop', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true });
    proxy = await startCuttableProxy(server.url);
    adminToken = await demoAdminToken(server);
    // The shop's one script tag loads the widget through the cuttable link, so all its traffic goes through it.
    site = await startShopSite(() => shopPage({ kefuUrl: proxy.url, widgetKey: server.demo!.workspace.widgetKey, locale: 'zh-CN' }));
    siteUrl = site.url;
    browser = await launchChromium();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await proxy?.close();
    await server?.close();
  });

  it(
    'reconnects by itself, sends what the customer wrote meanwhile once, and shows the agent reply that came meanwhile once',
    async () => {
      const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      customer = widgetCustomer(page);
      const { chat, said, ask } = customer;
      const notice = chat.getByRole('status').filter({ hasText: '连接已断开，正在重新连接…' });

      await page.goto(`${siteUrl}/`);
      await openChat();
      await said('bot').first().waitFor();
      await ask('运费多少钱');
      await eventually(() => said('bot').nth(1).textContent()).toContain('99元');
      conversationId = await customer.conversationId();
      await eventually(shownIds).toEqual((await serverMessages()).map((m) => m.id));

      // The network drops: the widget says so, and what the customer writes stays on screen, marked unsent.
      proxy.cut();
      await notice.waitFor();
      await ask(OFFLINE_QUESTION);
      const offline = said('contact').filter({ hasText: OFFLINE_QUESTION });
      await eventually(() => offline.getAttribute('data-state')).toBe('failed');
      expect(await offline.locator('.kf-msg__failed').textContent()).toContain('发送失败');
      expect((await serverMessages()).some((m) => m.text === OFFLINE_QUESTION)).toBe(false);

      // Meanwhile an agent takes the conversation over and replies.
      await asAgent('/claim');
      await asAgent('/messages', { text: AGENT_REPLY });

      // The network is back: the widget reconnects on its own and catches up, with nobody clicking anything.
      proxy.restore();
      await notice.waitFor({ state: 'hidden', timeout: RECONNECT_TIMEOUT });
      await eventually(() => said('agent').filter({ hasText: AGENT_REPLY }).count(), 'the agent reply sent during the drop').toBe(1);
      await eventually(
        async () => (await serverMessages()).filter((m) => m.author.type === 'contact' && m.text === OFFLINE_QUESTION).length,
        'the message written during the drop, on the server',
      ).toBe(1);
      await eventually(() => offline.getAttribute('data-state')).toBe('sent');
      await eventually(() => chat.getByTestId('chat-error').isHidden()).toBe(true);

      // Every message once, in the server's order: the bot's answers from before the drop are not repeated.
      const stored = await serverMessages();
      await eventually(shownIds).toEqual(stored.map((m) => m.id));
      expect(await said('bot').count()).toBe(stored.filter((m) => m.author.type === 'bot').length);
      expect(await said('contact').locator('.kf-msg__plain').allTextContents()).toEqual(['运费多少钱', OFFLINE_QUESTION]);
      expect(await chat.getByTestId('chat-status').getAttribute('data-status')).toBe('assigned');
    },
    STEP_TIMEOUT,
  );

  it(
    'shows the same history after a reload, each message once',
    async () => {
      await page.reload();
      await openChat();
      const stored = await serverMessages();
      expect(stored.filter((m) => m.author.type === 'contact').map((m) => m.text)).toEqual(['运费多少钱', OFFLINE_QUESTION]);
      await eventually(shownIds).toEqual(stored.map((m) => m.id));
      expect(await customer.said('agent').filter({ hasText: AGENT_REPLY }).count()).toBe(1);
    },
    STEP_TIMEOUT,
  );
});
