import type { Member } from '@kefu/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';
import { startCustomer } from './support/customer.js';

/**
 * The agent's side of a hand-off in real Chromium against a real server: a customer asks two questions
 * and then for a person; the agent watches it arrive live with the context packet, claims it with the
 * keyboard, inserts a suggested reply, edits and sends it; a colleague's claim from a view that missed
 * the update is refused naming the holder; the agent hands it back to the bot, and hands it off again
 * with the form, in English. Playwright's own waiting does the timing; there are no sleeps.
 */

const SCREENSHOT = '/tmp/handoff.png';
const POLL = { timeout: 10_000, interval: 50 };
const LILY = { email: 'lily@demo.test', name: 'Lily 李丽', password: 'correct-horse-1' };

let h: ConsoleHarness;

beforeAll(async () => {
  h = await openConsoleHarness();
  const token = await demoAdminToken(h.server);
  const r = await fetch(`${h.server.url}/v1/members`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ ...LILY, role: 'agent' }),
  });
  expect(r.status).toBe(201);
  expect(((await r.json()) as Member).role).toBe('agent');
}, 180_000);

afterAll(async () => {
  await h?.close();
});

/** Moves focus out of any text field, as Esc or a click on the page would, so single-key shortcuts apply. */
async function leaveFields(page: Page) {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto(`${h.server.url}/app/`);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.conn[data-state="open"]').waitFor();
}

describe('hand-off in the agent console', () => {
  it('shows the context packet live, claims, inserts a suggestion, names the holder to a colleague, releases and hands off', { timeout: 120_000 }, async () => {
    const { page } = h;
    await logIn(page, h.server.demo!.adminEmail, h.server.demo!.adminPassword!);

    // Another customer is chatting with the bot, so j/k have somewhere to go.
    const other = await startCustomer(h.server);
    await other.say('你们几点下班？');

    // The customer asks two questions; the bot answers both from the knowledge base.
    const customer = await startCustomer(h.server);
    const item = page.locator(`[data-conversation-id="${customer.id}"]`);
    await item.waitFor();
    await customer.say('满多少包邮？');
    await customer.say('退款多久到账');
    await item.click();
    const log = page.getByRole('log');
    await log.getByText('退款多久到账', { exact: true }).waitFor();
    const card = page.getByTestId('handoff-card');
    expect(await card.count()).toBe(0);
    // While the bot answers, suggestions wait to be asked for.
    await page.getByTestId('suggestions-request').waitFor();

    // "转人工": the open conversation turns queued and the context card unfolds, live.
    await customer.say('转人工');
    await page.locator('[data-testid="conversation-status"]', { hasText: '排队中' }).waitFor();
    await card.waitFor();
    await expect.poll(() => card.locator('.handoff-toggle').getAttribute('aria-expanded'), POLL).toBe('true');
    await card.getByTestId('handoff-trigger').getByText('客户要求人工服务').waitFor();
    await card.getByText('由机器人发起').waitFor();
    expect(await card.getByTestId('handoff-customer-messages').locator('li').allTextContents()).toEqual(['满多少包邮？', '退款多久到账', '转人工']);
    const tried = card.getByTestId('handoff-tried');
    expect(await tried.locator('.tried-item').count()).toBe(2);
    await tried.locator('.source-chip', { hasText: '满多少包邮？运费怎么算？' }).waitFor();
    await tried.locator('.source-chip', { hasText: '退款多久能到账？' }).waitFor();
    await tried.getByText('知识条目匹配度足够').first().waitFor();
    await card.getByText('客户情绪').waitFor();
    await card
      .getByTestId('handoff-waiting')
      .getByText(/^已等待 \d+秒$/)
      .waitFor();
    await item.filter({ hasText: '排队中' }).waitFor();
    // Suggestions are fetched by themselves now, for the question before "转人工".
    await page.getByTestId('suggestions').getByText('退款多久能到账？').first().waitFor();

    // A colleague opens it too, and then loses the live updates (their view stays queued).
    const lilyContext = await h.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    const lily = await lilyContext.newPage();
    lily.setDefaultTimeout(15_000);
    let lilyOnline = true;
    await lily.routeWebSocket(/\/v1\/ws\b/, (ws) => {
      if (lilyOnline) ws.connectToServer();
      else ws.close({ code: 4000, reason: 'test: network down' });
    });
    await logIn(lily, LILY.email, LILY.password);
    await lily.goto(`${h.server.url}/app/c/${customer.id}`);
    await lily.locator('[data-testid="conversation-status"]', { hasText: '排队中' }).waitFor();
    lilyOnline = false;
    h.server.deps.hub.closeAll(1012, 'test: restart');
    await lily.locator('.conn[data-state="waiting"]').waitFor();
    await page.locator('.conn[data-state="open"]').waitFor();

    // Typing "c" in the reply box is text, not a claim; Esc leaves the box and "c" claims.
    const composer = page.getByTestId('composer-input');
    await composer.fill('c');
    await composer.press('c');
    expect(await composer.inputValue()).toBe('cc');
    expect(await page.locator('[data-testid="conversation-status"]').textContent()).toBe('排队中');
    await composer.fill('');
    await composer.press('Escape');
    await page.keyboard.press('c');
    await page.locator('[data-testid="conversation-status"]', { hasText: '已分配' }).waitFor();
    await page.getByTestId('conversation-owner').getByText('由我负责').waitFor();
    await expect.poll(() => card.getByTestId('handoff-waiting').textContent(), POLL).toMatch(/^转人工已 /);

    // The colleague's claim, from their stale view, is refused with the holder's name; their view catches up.
    try {
      const adminName = 'Demo Admin 演示管理员';
      expect(await lily.getByTestId('holder-notice').count()).toBe(0);
      await lily.locator('[data-action="takeOver"]', { hasText: '认领' }).click();
      await lily.locator('[data-testid="holder-notice"][role="alert"]').getByText(`${adminName} 正在处理此会话`).waitFor();
      await lily.getByText('如需接手，请联系对方或管理员。').waitFor();
      await lily.locator('[data-testid="conversation-status"]', { hasText: '已分配' }).waitFor();
      await lily.getByTestId('conversation-owner').getByText(`负责人：${adminName}`).waitFor();
    } finally {
      await lilyContext.close();
    }
    expect(await page.getByTestId('conversation-owner').textContent()).toBe('由我负责');

    // A new question while the agent has it: no bot answer, new suggestions from the knowledge base.
    const followUp = await customer.say('退款多久到账？');
    expect(followUp.replies).toHaveLength(0);
    const suggestion = page.getByTestId('suggestion').filter({ hasText: '来自“退款多久能到账？”' });
    await suggestion.waitFor();
    const suggested = (await suggestion.locator('.suggestion-text').textContent())!;
    expect(suggested).toContain('原路退回');
    await suggestion.getByRole('button', { name: '插入回复框：退款多久能到账？' }).click();
    // Inserted for editing, never sent by itself.
    await expect.poll(() => composer.inputValue(), POLL).toBe(suggested);
    await expect.poll(async () => composer.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    expect((await customer.messages()).some((m) => m.author.type === 'agent')).toBe(false);
    const edited = `您好，${suggested}\n如还有问题，随时告诉我。`;
    await composer.fill(edited);
    await page.screenshot({ path: SCREENSHOT });
    await composer.press('Enter');
    await expect.poll(async () => (await customer.messages()).some((m) => m.author.type === 'agent' && m.text === edited), POLL).toBe(true);
    await log.locator('.msg-agent', { hasText: '如还有问题，随时告诉我。' }).waitFor();

    // "/" jumps to the knowledge search; a hit's answer goes into the reply box too.
    await composer.press('Escape');
    await page.keyboard.press('/');
    const search = page.getByTestId('knowledge-search').getByRole('searchbox');
    await expect.poll(async () => search.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    expect(await search.inputValue()).toBe('');
    await search.fill('包邮');
    await search.press('Enter');
    const hit = page.getByTestId('kb-hit').filter({ hasText: '满多少包邮？运费怎么算？' });
    await hit.getByRole('button', { name: '插入回复框：满多少包邮？运费怎么算？' }).click();
    await expect.poll(() => composer.inputValue(), POLL).toContain('满99元');
    await composer.fill('');

    // The shortcuts are listed behind "?".
    await leaveFields(page);
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: '键盘快捷键' });
    await help.waitFor();
    for (const text of ['认领或接管', '标记解决', '写回复', '下一个会话']) await help.getByText(text).waitFor();
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // Back to the bot: the card folds, and the bot answers the customer again.
    await page.locator('[data-action="handBack"]').click();
    await page.locator('[data-testid="conversation-status"]', { hasText: '机器人' }).waitFor();
    await expect.poll(() => card.locator('.handoff-toggle').getAttribute('aria-expanded'), POLL).toBe('false');
    expect((await customer.say('满多少包邮？')).replies[0]?.text).toContain('99');

    // In English: the labels, and a hand-off with the form (reason, note, priority).
    await page.getByTestId('language-switcher').selectOption('en');
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Bot' }).waitFor();
    await card.getByText('Hand-off context').waitFor();
    await card.getByTestId('handoff-trigger').getByText('The customer asked for a person').waitFor();
    await page.getByRole('heading', { name: 'Suggested replies' }).waitFor();
    await page.getByRole('heading', { name: 'Search knowledge' }).waitFor();
    await page.locator('[data-action="takeOver"]', { hasText: 'Take over' }).waitFor();
    await page.locator('[data-action="handoff"]', { hasText: 'Hand off…' }).click();
    const form = page.getByTestId('handoff-form');
    await form.getByRole('button', { name: 'Hand off' }).click();
    await form.getByText('Give a reason.').waitFor();
    await form.getByLabel('Reason').fill('Refund over the limit');
    await form.getByLabel('Note for whoever takes it').fill('Asked twice about the refund time.');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByRole('button', { name: 'Hand off' }).click();
    await form.waitFor({ state: 'hidden' });
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Queued' }).waitFor();
    await page.locator('.badge-priority', { hasText: 'High' }).waitFor();
    await expect.poll(() => card.locator('.handoff-toggle').getAttribute('aria-expanded'), POLL).toBe('true');
    await card.getByTestId('handoff-trigger').getByText('An agent handed off: Refund over the limit').waitFor();
    await card.getByText('Asked twice about the refund time.').waitFor();
    await card.getByText('by an agent').waitFor();
    await page.locator('[data-action="takeOver"]', { hasText: 'Claim' }).waitFor();

    // j and k walk the list; "e" resolves.
    await leaveFields(page);
    await page.keyboard.press('j');
    await expect.poll(() => page.url(), POLL).toContain(`/app/c/${other.id}`);
    await page.keyboard.press('k');
    await expect.poll(() => page.url(), POLL).toContain(`/app/c/${customer.id}`);
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Queued' }).waitFor();
    await page.keyboard.press('e');
    await page.locator('[data-testid="conversation-status"]', { hasText: 'Resolved' }).waitFor();
  });

  it('an agent who goes online in the header gets queued conversations by themselves, and gives them back going offline', { timeout: 60_000 }, async () => {
    const page = h.page;
    const token = await demoAdminToken(h.server);
    const headers = { authorization: `Bearer ${token}` };
    await page.getByTestId('presence').selectOption('online');
    await page.locator('.presence-online').waitFor();
    const customer = await startCustomer(h.server);
    await customer.say('转人工');
    const status = async () => ((await (await fetch(`${h.server.url}/v1/conversations/${customer.id}`, { headers })).json()) as { status: string }).status;
    await expect.poll(status, POLL).toBe('assigned');
    await expect.poll(async () => (await customer.messages()).map((m) => m.text).join('\n'), POLL).toMatch(/已接入，正在为您服务/);
    await page.getByTestId('presence').selectOption('offline');
    await expect.poll(status, POLL).toBe('queued');
  });
});
