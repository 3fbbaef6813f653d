import type { Message, StartConversationResponse } from '@kefu/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * Tickets carry on after the chat, in real Chromium against a real server: a customer asks about a
 * faulty TV; the agent opens Tickets, creates a ticket linked to that conversation, replies to the
 * customer with a public comment, resolves the chat, then takes the ticket (pending) and solves it.
 * The customer reads every step in their conversation through the visitor API, also after the chat
 * was resolved. Closing the ticket elsewhere makes the page read-only, with 409 TICKET_CLOSED in words.
 */

const SCREENSHOT = '/tmp/tickets.png';
const SCREENSHOT_LIST = '/tmp/tickets-list.png';
const POLL = { timeout: 10_000, interval: 100 };
let h: ConsoleHarness;

beforeAll(async () => {
  h = await openConsoleHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

/** The customer side, through the public visitor API, as the widget would do it. */
async function startCustomer() {
  const { url, demo } = h.server;
  const r = await fetch(`${url}/v1/widget/conversations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-kefu-widget-key': demo!.workspace.widgetKey },
    body: JSON.stringify({ locale: 'zh-CN', contact: { name: '周先生' } }),
  });
  expect(r.status).toBe(201);
  const body = (await r.json()) as StartConversationResponse;
  const auth = { authorization: `Bearer ${body.visitorToken}` };
  return {
    id: body.conversation.id,
    async say(text: string) {
      const res = await fetch(`${url}/v1/widget/conversations/${body.conversation.id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ text }),
      });
      expect(res.status).toBe(200);
    },
    async texts() {
      const res = await fetch(`${url}/v1/widget/conversations/${body.conversation.id}/messages`, { headers: auth });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: Message[] }).items.map((m) => m.text);
    },
  };
}

describe('tickets in the agent console', () => {
  it('creates a ticket from a conversation, replies publicly, solves it, and the customer hears each step', { timeout: 120_000 }, async () => {
    const { page, server } = h;
    const customer = await startCustomer();
    await customer.say('我买的电视屏幕有坏点，想换一台');

    await page.goto(`${server.url}/app/`);
    await page.getByLabel('邮箱').fill(server.demo!.adminEmail);
    await page.getByLabel('密码').fill(server.demo!.adminPassword);
    await page.getByRole('button', { name: '登录' }).click();
    await page.locator('.conn[data-state="open"]').waitFor();

    // Tickets, from the header; "open work" is where it starts.
    await page.locator('[data-nav="tickets"]').click();
    await page.getByRole('heading', { name: '待处理' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/tickets');

    // New ticket, linked to the customer's conversation.
    await page.getByTestId('ticket-new').click();
    const form = page.getByTestId('ticket-new-form');
    await form.waitFor();
    const subject = '电视坏点换货';
    await page.getByTestId('ticket-new-subject').fill(subject);
    await page.getByTestId('ticket-new-description').fill('客户收到的电视有三个坏点，核实订单后寄出新机。');
    const convSelect = page.getByTestId('ticket-new-conversation');
    await expect.poll(() => convSelect.locator(`option[value="${customer.id}"]`).count(), POLL).toBe(1);
    expect(await convSelect.locator(`option[value="${customer.id}"]`).textContent()).toContain('周先生');
    await convSelect.selectOption(customer.id);
    await page.getByTestId('ticket-create').click();

    const screen = page.getByTestId('ticket-screen');
    await screen.waitFor();
    const number = Number(await screen.getAttribute('data-ticket-number'));
    expect(number).toBeGreaterThan(0);
    await page.getByText(`已创建工单 #${number}`).waitFor();
    await page.locator('.faq-screen-meta [data-testid="ticket-status"][data-status="new"]').waitFor();
    expect(await page.getByTestId('ticket-conversation').textContent()).toContain('周先生');

    // A public comment: the customer gets it in their conversation.
    const reply = '已核实订单，新电视明天寄出。';
    await page.getByTestId('ticket-comment-body').fill(reply);
    await page.getByText('客户可见', { exact: true }).click();
    expect(await page.getByTestId('ticket-comment-public').isChecked()).toBe(true);
    await page.getByTestId('ticket-comment-send').click();
    const publicComment = page.locator('[data-testid="ticket-comments"] [data-comment-type="public"]');
    await publicComment.waitFor();
    expect(await publicComment.textContent()).toContain(reply);
    expect(await publicComment.textContent()).toContain('已发给客户');
    expect(await page.getByTestId('ticket-comment-body').inputValue()).toBe('');

    // The chat ends: the agent follows the link to the conversation and resolves it there.
    await page.getByTestId('ticket-conversation-link').click();
    await page.waitForURL(`**/app/c/${customer.id}`);
    await page.locator('[data-action="resolve"]').click();
    await page.locator('[data-testid="conversation-status"]', { hasText: '已解决' }).waitFor();
    await page.goBack();
    await screen.waitFor();

    // The ticket carries on: waiting for the customer, then solved.
    const statusSelect = page.getByTestId('ticket-status-select');
    await statusSelect.selectOption('pending');
    await page.getByTestId('ticket-save').click();
    await page.locator('.faq-screen-meta [data-testid="ticket-status"][data-status="pending"]').waitFor();
    await page.locator('[data-comment-type="system"]', { hasText: '新建 → 等待客户' }).waitFor();
    await statusSelect.selectOption('solved');
    await page.getByTestId('ticket-save').click();
    await page.locator('.faq-screen-meta [data-testid="ticket-status"][data-status="solved"]').waitFor();

    // The customer read every step in their conversation, after it was resolved too.
    const seen = await customer.texts();
    const steps = [
      `已为您创建工单 #${number}：${subject}。处理进展会在这里通知您。`,
      `工单 #${number} 有新回复：${reply}`,
      `工单 #${number} 状态更新：等待您的回复。`,
      `工单 #${number} 状态更新：已解决。`,
    ];
    expect(seen.filter((text) => steps.includes(text))).toEqual(steps);
    expect(seen.join('\n')).not.toContain('核实订单后寄出新机');

    // In the list: under "solved", with its number; the segments are labels over hidden radios.
    const whose = (who: string) => page.locator('label.segment', { has: page.getByTestId(`ticket-who-${who}`) }).click();
    await page.locator('.kb-tab[data-tab="solved"]').click();
    const row = page.locator(`[data-ticket-number="${number}"]`);
    await row.waitFor();
    expect(await row.locator('[data-testid="ticket-status"]').getAttribute('data-status')).toBe('solved');
    await whose('none');
    await row.waitFor();
    await page.screenshot({ path: SCREENSHOT_LIST });
    await whose('me');
    await page.getByTestId('tickets-empty').waitFor();

    // Closed elsewhere while open here: the change is refused in words and the page turns read-only.
    await whose('anyone');
    await row.locator('.ticket-subject').click();
    await screen.waitFor();
    const token = await demoAdminToken(server);
    const ticketId = new URL(page.url()).pathname.split('/').at(-1)!;
    const closed = await fetch(`${server.url}/v1/tickets/${ticketId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(closed.status).toBe(200);
    await page.getByTestId('ticket-priority').selectOption('urgent');
    await page.getByTestId('ticket-save').click();
    const refused = page.locator('[data-testid="ticket-properties"] [role="alert"][data-code="TICKET_CLOSED"]');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('这个工单已关闭');
    await page.getByTestId('ticket-closed-notice').waitFor();
    await page.locator('.faq-screen-meta [data-testid="ticket-status"][data-status="closed"]').waitFor();
    expect(await page.getByTestId('ticket-composer').count()).toBe(0);
    expect(await page.getByTestId('ticket-priority').isDisabled()).toBe(true);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
