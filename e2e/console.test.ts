import type { Message } from '@kefu/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { createWorkspace } from '../apps/server/src/usecases/create-workspace.js';
import { ensureBuilt, launchChromium } from './support/browser.js';
import { startCustomer } from './support/customer.js';

/**
 * The agent console in real Chromium against a real server: a customer chats through the visitor API,
 * the agent sees it arrive live, reads the bot's trace, replies, and resolves; then the UI language
 * changes. Playwright's own waiting does the timing; there are no sleeps.
 */

const SCREENSHOT = '/tmp/console.png';
const POLL = { timeout: 10_000, interval: 50 };

let server: TestServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ensureBuilt('@kefu/protocol', '@kefu/console');
  server = await startTestServer({ listen: true });
  browser = await launchChromium();
  // A Simplified-Chinese browser: the console should pick zh-CN on its own.
  context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
}, 180_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** The customer's widget socket: sends their typing, collects what the server pushes to them. */
async function openCustomerSocket(token: string) {
  const frames: Array<{ type: string; [k: string]: unknown }> = [];
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/v1/widget/ws?token=${encodeURIComponent(token)}`);
  sockets.push(ws);
  ws.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', () => resolve());
  });
  return { frames, typing: (on: boolean) => ws.send(JSON.stringify({ type: 'typing', on })) };
}

describe('agent console', () => {
  it('shows a new chat live, draws the bot trace, replies, resolves, and switches language', { timeout: 120_000 }, async () => {
    // Log in (labels in Simplified Chinese, from the browser's language).
    await page.goto(`${server.url}/app/`);
    await page.getByLabel('邮箱').fill(server.demo!.adminEmail);
    await page.getByLabel('密码').fill(server.demo!.adminPassword!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('tablist', { name: '收件箱视图与筛选' }).waitFor();
    await page.locator('.conn[data-state="open"]').waitFor();
    expect(await page.evaluate(() => localStorage.getItem('kefu.console.session'))).toContain('"token"');

    // A customer starts a chat and asks about shipping costs; the console list shows it without a reload.
    const customer = await startCustomer(server);
    const item = page.locator(`[data-conversation-id="${customer.id}"]`);
    await item.waitFor();
    const turn = await customer.say('运费多少钱');
    const botReply = turn.replies[0]!;
    expect(botReply.author.type).toBe('bot');
    expect(botReply.metadata.trace).toBeUndefined(); // customers never see the trace
    await item.filter({ hasText: botReply.text.slice(0, 12) }).waitFor();

    // Open it: the question, the bot's answer and its trace, drawn.
    await item.click();
    await expect.poll(() => page.url(), POLL).toContain(`/app/c/${customer.id}`);
    const log = page.getByRole('log');
    await log.getByText('运费多少钱', { exact: true }).waitFor();
    await log.getByText(botReply.text.slice(0, 20)).waitFor();
    const botMessage = page.locator(`[data-message-id="${botReply.id}"]`);
    const toggle = botMessage.locator('.trace-toggle');
    await expect.poll(() => toggle.getAttribute('aria-expanded'), POLL).toBe('false');
    await toggle.click();
    const trace = botMessage.locator('.trace-panel');
    await trace.waitFor();
    for (const stage of ['normalize', 'detect-language', 'understand', 'detect-handoff-request', 'retrieve', 'policy', 'reply']) {
      await trace.locator(`.timeline-row[data-stage="${stage}"]`).getByText(stage, { exact: true }).waitFor();
    }
    await trace.getByText('知识检索').waitFor();
    await trace.getByRole('meter', { name: '置信度' }).waitFor({ state: 'attached' });
    await trace.locator('.gauge-fill').waitFor();
    await trace.locator('.gauge-threshold').waitFor();
    expect(await trace.locator('.hits > li').count()).toBeGreaterThan(0);
    expect(await trace.locator('.hits .term').count()).toBeGreaterThan(0);
    const barWidth = await trace.locator('.timeline-row[data-stage="retrieve"] .timeline-bar').evaluate((el) => el.getBoundingClientRect().width);
    expect(barWidth).toBeGreaterThan(0);

    // The customer types: the agent sees it live.
    const customerSocket = await openCustomerSocket(customer.visitorToken);
    customerSocket.typing(true);
    await page.getByText('客户正在输入…').waitFor();
    customerSocket.typing(false);
    await page.getByText('客户正在输入…').waitFor({ state: 'hidden' });

    // Reply as the agent (Enter sends). The agent's typing reaches the customer; the reply takes ownership.
    const replyText = '您好，我是人工客服，订单满99元包邮，不满收取8元运费。';
    const composer = page.getByTestId('composer-input');
    await composer.fill(replyText.slice(0, 4));
    await composer.pressSequentially(replyText.slice(4, 6));
    await expect
      .poll(() => customerSocket.frames.some((f) => f.type === 'typing' && f.on === true && (f.author as { type: string }).type === 'agent'), POLL)
      .toBe(true);
    await composer.fill(replyText);
    await composer.press('Enter');
    await page.locator('[data-testid="conversation-status"]', { hasText: '已分配' }).waitFor();
    await page.getByText('由我负责').first().waitFor();
    await expect.poll(async () => (await customer.messages()).some((m) => m.author.type === 'agent' && m.text === replyText), POLL).toBe(true);
    await expect.poll(() => customerSocket.frames.some((f) => f.type === 'message.created' && (f.message as Message).text === replyText), POLL).toBe(true);

    // A new customer message arrives in the open conversation once, with no bot answer (an agent owns it now).
    const thanks = await customer.say('好的，谢谢');
    expect(thanks.replies).toHaveLength(0);
    await log.getByText('好的，谢谢', { exact: true }).waitFor();
    expect(await log.getByText(replyText, { exact: true }).count()).toBe(1);
    expect(await log.getByText('好的，谢谢', { exact: true }).count()).toBe(1);
    // The customer's mood, drawn in the header: a neutral question, then thanks — improving.
    await page.locator('[data-testid="mood-trend"][data-direction="better"]').waitFor();
    expect(await page.locator('[data-testid="mood-trend"] circle').count()).toBe(2);

    // An internal note: visually distinct, never delivered to the customer.
    await page.locator('.composer-mode[data-mode="note"]').click();
    await composer.fill('客户关心运费，已说明包邮门槛');
    await composer.press('Enter');
    await log.locator('.msg-note', { hasText: '客户关心运费，已说明包邮门槛' }).waitFor();
    expect((await customer.messages()).some((m) => m.text.includes('包邮门槛'))).toBe(false);

    // Resolve; actions follow the status table.
    const resolve = page.locator('[data-action="resolve"]');
    await resolve.click();
    await page.locator('[data-testid="conversation-status"]', { hasText: '已解决' }).waitFor();
    await expect.poll(() => resolve.isDisabled(), POLL).toBe(true);
    expect(await page.locator('[data-action="takeOver"]').isEnabled()).toBe(true);
    await item.filter({ hasText: '已解决' }).waitFor();

    // Switch the UI language: English, then Traditional Chinese.
    const switcher = page.getByTestId('language-switcher');
    await switcher.selectOption('en');
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolved' }).waitFor();
    await page.getByRole('tab', { name: 'Mine' }).waitFor();
    await page.locator('[data-action="handBack"]', { hasText: 'Hand back to bot' }).waitFor();
    await trace.getByText('Retrieve', { exact: true }).waitFor();

    await switcher.selectOption('zh-TW');
    await page.locator('[data-testid="conversation-status"]', { hasText: '已解決' }).waitFor();
    await page.getByRole('tab', { name: /^我的\s*\d*$/ }).waitFor();
    await page.locator('[data-action="handBack"]', { hasText: '交還機器人' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');

    // The picture worth keeping: the bot's answer with its trace opened, top of the trace in view.
    await botMessage.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: SCREENSHOT });

    // The language and the session survive a reload.
    await page.reload();
    await page.locator('[data-testid="conversation-status"]', { hasText: '已解決' }).waitFor();
    const token = await page.evaluate(() => (JSON.parse(localStorage.getItem('kefu.console.session') ?? '{}') as { token?: string }).token);
    await page.getByRole('button', { name: '登出' }).click();
    await page.getByRole('button', { name: '登入' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('kefu.console.session'))).toBeNull();
    // Logging out ends the session on the server too, not just in the browser.
    expect((await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });

  it('reconnects after the socket drops and refetches what happened meanwhile', { timeout: 60_000 }, async () => {
    // The agent socket goes through a route the test can cut; the widget socket is untouched.
    let networkDown = false;
    await page.routeWebSocket(/\/v1\/ws\b/, (ws) => {
      if (networkDown) ws.close({ code: 4000, reason: 'test: network down' });
      else ws.connectToServer();
    });
    await page.goto(`${server.url}/app/`);
    await page.locator('input[type="email"]').fill(server.demo!.adminEmail);
    await page.locator('input[type="password"]').fill(server.demo!.adminPassword!);
    await page.locator('button[type="submit"]').click();
    await page.locator('.conn[data-state="open"]').waitFor();

    const first = await startCustomer(server);
    await first.say('运费多少钱');
    await page.locator(`[data-conversation-id="${first.id}"]`).click();
    const log = page.getByRole('log');
    await log.getByText('运费多少钱', { exact: true }).waitFor();

    // The connection drops and cannot come back yet: the header says so.
    networkDown = true;
    server.deps.hub.closeAll(1012, 'test: restart');
    await page.locator('.conn[data-state="waiting"]').waitFor();

    // Meanwhile a new chat starts and the open one gets a message; neither can reach the console.
    const second = await startCustomer(server);
    await second.say('怎么申请退货退款？');
    await first.say('还有一个问题');
    expect(await page.locator(`[data-conversation-id="${second.id}"]`).count()).toBe(0);
    expect(await log.getByText('还有一个问题').count()).toBe(0);

    // Back online: the socket reconnects and the console refetches what it missed.
    networkDown = false;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await page.locator('.conn[data-state="open"]').waitFor();
    await page.locator(`[data-conversation-id="${second.id}"]`).waitFor();
    await log.getByText('还有一个问题', { exact: true }).waitFor();
    expect(await log.getByText('还有一个问题', { exact: true }).count()).toBe(1);
  });

  it('asks for the workspace only when the e-mail and password match in several', { timeout: 60_000 }, async () => {
    // Same e-mail and password in two workspaces: only then must the person choose.
    await createWorkspace(server.deps.ctx, {
      slug: 'second-shop',
      name: 'Second Shop',
      owner: { email: server.demo!.adminEmail, name: 'Second Owner', password: server.demo!.adminPassword! },
    });
    // An English browser gets the English console.
    const english = await browser.newContext({ locale: 'en-US', viewport: { width: 1024, height: 768 } });
    try {
      const p = await english.newPage();
      p.setDefaultTimeout(15_000);
      await p.goto(`${server.url}/app/`);
      await p.getByLabel('E-mail').fill(server.demo!.adminEmail);
      await p.getByLabel('Password').fill(server.demo!.adminPassword!);
      expect(await p.getByLabel('Workspace').count()).toBe(0);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByLabel('Workspace').fill('demo');
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByRole('tablist', { name: 'Inbox views and filters' }).waitFor();
      await p.getByText(server.demo!.workspace.name).waitFor();
    } finally {
      await english.close();
    }
  });
});
