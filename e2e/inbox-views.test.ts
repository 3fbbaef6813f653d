import type { Team } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, ensureBuilt, openConsoleHarness } from './support/browser.js';
import { startCustomer, widgetCustomer } from './support/customer.js';

/**
 * The walkthrough in real Chromium: three customers reach people three ways — asking for a
 * person, getting angry, stumping the bot twice — and each arrives live in "Unassigned" with a context
 * card that says why. The agent transfers one to a team nobody of which is online (its customer is
 * told it waits), takes another and snoozes it (out of "Mine" until the customer writes again, which
 * brings it back live). Counts on the tabs follow every step.
 */

const SCREENSHOT = '/tmp/inbox-views.png';
const POLL = { timeout: 10_000, interval: 50 };

let h: ConsoleHarness;
let team: Team;

beforeAll(async () => {
  // The customer of the last test chats on the demo page (the widget's build).
  ensureBuilt('@kefu/protocol', '@kefu/widget');
  h = await openConsoleHarness();
  const token = await demoAdminToken(h.server);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const lily = await fetch(`${h.server.url}/v1/members`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ email: 'views-lily@demo.test', name: 'Lily 李丽', password: 'correct-horse-1', role: 'agent' }),
  });
  expect(lily.status).toBe(201);
  const r = await fetch(`${h.server.url}/v1/teams`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: '售后组', memberIds: [((await lily.json()) as { id: string }).id] }),
  });
  expect(r.status).toBe(201);
  team = (await r.json()) as Team;
}, 180_000);

afterAll(async () => {
  await h?.close();
});

describe('inbox views, transfer and snooze in the agent console', () => {
  it('brings three kinds of hand-off in live with their reasons; transfers to an offline team; snoozes until the customer writes', {
    timeout: 120_000,
  }, async () => {
    const { page } = h;
    await page.goto(`${h.server.url}/app/`);
    await page.getByLabel('邮箱').fill(h.server.demo!.adminEmail);
    await page.getByLabel('密码').fill(h.server.demo!.adminPassword!);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.conn[data-state="open"]').waitFor();
    await page.getByRole('tab', { name: /待分配/ }).click();
    const count = (view: string) => page.getByTestId(`count-${view}`);

    const asks = await startCustomer(h.server);
    await asks.say('转人工');
    const angry = await startCustomer(h.server);
    await angry.say('气死我了！！什么垃圾服务😡😡');
    const stumped = await startCustomer(h.server);
    await stumped.say('你们公司的股票代码是多少');
    expect((await stumped.say('你们老板叫什么名字')).conversation.status).toBe('queued');

    // All three arrive in "Unassigned" without a reload, and the tab counts them.
    for (const c of [asks, angry, stumped]) await page.locator(`[data-conversation-id="${c.id}"]`).waitFor();
    await expect.poll(() => count('unassigned').textContent(), POLL).toBe('3');

    // Each says why it came to people.
    const card = page.getByTestId('handoff-card');
    for (const [c, why] of [
      [asks, '客户要求人工服务'],
      [angry, '客户情绪愤怒'],
      [stumped, '机器人连续未能回答'],
    ] as const) {
      await page.locator(`[data-conversation-id="${c.id}"]`).click();
      await card.getByTestId('handoff-trigger').getByText(why).waitFor();
    }

    // The stumped customer goes to the after-sales team, where nobody is online.
    await page.getByRole('button', { name: '转接…' }).click();
    const form = page.getByTestId('transfer-form');
    await form.getByTestId('transfer-target').selectOption(`team:${team.id}`);
    await form.getByTestId('transfer-offline-hint').waitFor();
    await form.getByLabel('给接手同事的备注（可选）').fill('客户问公司信息，请售后同事跟进');
    await form.getByTestId('transfer-submit').click();
    await page.getByTestId('conversation-team').getByText('售后组').waitFor();
    await page.getByRole('log').getByText('客户问公司信息，请售后同事跟进').waitFor();
    await expect
      .poll(async () => (await stumped.messages()).at(-1)?.text, POLL)
      .toBe('已为您转接到售后组。该组暂时没有在线客服，您的对话已保留在排队中，有人上线后会第一时间回复您。');

    // The angry customer: take it (it moves to "Mine"), then snooze it.
    await page.locator(`[data-conversation-id="${angry.id}"]`).click();
    await page.locator('[data-action="takeOver"]').click();
    await page.getByTestId('conversation-owner').getByText('由我负责').waitFor();
    await expect.poll(() => count('mine').textContent(), POLL).toBe('1');
    // "z" opens the snooze menu (outside text fields).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('z');
    await page.getByTestId('snooze-menu').locator('[data-snooze="1h"]').click();
    await page.getByTestId('snooze-notice').waitFor();
    await expect.poll(() => count('snoozed').textContent(), POLL).toBe('1');
    expect(await count('mine').count()).toBe(0);
    await page.getByRole('tab', { name: /我的/ }).first().click();
    await expect.poll(() => page.locator(`.conv-items [data-conversation-id="${angry.id}"]`).count(), POLL).toBe(0);

    // The customer writes again: back in "Mine", live.
    await angry.say('人呢？还在吗');
    await page.locator(`.conv-items [data-conversation-id="${angry.id}"]`).waitFor();
    await expect.poll(() => count('mine').textContent(), POLL).toBe('1');
    await page.getByTestId('snooze-notice').waitFor({ state: 'detached' });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('a customer on the demo page asks for a person; the agent sees it live, inserts a suggestion, replies and resolves; the customer sees every message', {
    timeout: 120_000,
  }, async () => {
    const { page } = h;
    const customerContext = await h.browser.newContext({ locale: 'zh-CN', viewport: { width: 420, height: 800 } });
    try {
      const demo = await customerContext.newPage();
      demo.setDefaultTimeout(15_000);
      // The demo page embeds the real widget: the chat lives in its frame.
      const customer = widgetCustomer(demo);
      const { chat, said, ask } = customer;
      await demo.goto(`${h.server.url}/demo`);
      await said('bot').first().waitFor();
      await ask('退款多久到账');
      await said('bot').nth(1).waitFor();
      await ask('我要人工');
      await expect.poll(() => chat.getByTestId('chat-status').getAttribute('data-status'), POLL).toBe('queued');
      const conversationId = await customer.conversationId();

      // The agent: it arrives in Unassigned by itself, with the context packet.
      await page.getByRole('tab', { name: /待分配/ }).click();
      const item = page.locator(`.conv-items [data-conversation-id="${conversationId}"]`);
      await item.waitFor();
      await item.click();
      await page.getByTestId('handoff-card').getByTestId('handoff-trigger').getByText('客户要求人工服务').waitFor();
      expect(await page.getByTestId('handoff-customer-messages').locator('li').allTextContents()).toEqual(['退款多久到账', '我要人工']);
      await page.locator('[data-action="takeOver"]').click();
      await page.getByTestId('conversation-owner').getByText('由我负责').waitFor();

      // Inserts a suggestion, edits it, sends it.
      const suggestion = page.getByTestId('suggestion').filter({ hasText: '来自“退款多久能到账？”' });
      await suggestion.getByRole('button', { name: '插入回复框：退款多久能到账？' }).click();
      const composer = page.getByTestId('composer-input');
      await expect.poll(() => composer.inputValue(), POLL).toContain('原路退回');
      await composer.fill(`您好，我是客服。${await composer.inputValue()}`);
      await composer.press('Enter');
      await page.locator('[data-action="resolve"]').click();
      await page.locator('[data-testid="conversation-status"]', { hasText: '已解决' }).waitFor();

      // The customer saw everything: who joined, the agent's reply, and that it was resolved.
      await said('agent').filter({ hasText: '您好，我是客服。' }).waitFor();
      await expect.poll(() => said('agent').last().textContent(), POLL).toContain('原路退回');
      await expect.poll(() => chat.getByTestId('chat-status').getAttribute('data-status'), POLL).toBe('resolved');
      await demo.screenshot({ path: '/tmp/inbox-demo-customer.png' });
    } finally {
      await customerContext.close();
    }
  });
});
