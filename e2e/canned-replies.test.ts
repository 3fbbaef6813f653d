import type { Member } from '@kefu/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';
import { startCustomer } from './support/customer.js';

/**
 * Canned replies and @mentions in real Chromium against a real server: an agent types `/` in the
 * reply box, picks a reply with the keyboard, sees the customer's name filled in, edits and sends it;
 * a reply whose variable has no value is flagged before sending; then a note @mentions a colleague,
 * whose header counts the mention live and opens the conversation from it.
 */

const SCREENSHOTS = { picker: '/tmp/canned-replies.png', mentions: '/tmp/canned-mentions.png' };
const POLL = { timeout: 10_000, interval: 50 };
const LILY = { email: 'lily@canned.test', name: 'Lily 李丽', password: 'correct-horse-1' };

let h: ConsoleHarness;
let adminToken: string;

beforeAll(async () => {
  h = await openConsoleHarness();
  adminToken = await demoAdminToken(h.server);
  const r = await api('POST', '/v1/members', { ...LILY, role: 'agent' });
  expect(r.status).toBe(201);
  expect(((await r.json()) as Member).name).toBe(LILY.name);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

function api(method: string, path: string, body?: unknown) {
  return fetch(`${h.server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto(`${h.server.url}/app/`);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('.conn[data-state="open"]').waitFor();
}

describe('canned replies and mentions in the agent console', () => {
  it('fills a canned reply after /, flags a missing value, and pings a mentioned colleague live', { timeout: 120_000 }, async () => {
    const { page } = h;
    await logIn(page, h.server.demo!.adminEmail, h.server.demo!.adminPassword!);
    const customer = await startCustomer(h.server, { name: '王小明' });
    await customer.say('退款多久到账');
    await page.goto(`${h.server.url}/app/c/${customer.id}`);
    await page.getByRole('log').getByText('退款多久到账', { exact: true }).waitFor();

    // "/" at the start of the reply opens the picker; typing filters it; the arrows and Enter pick.
    const composer = page.getByTestId('composer-input');
    await composer.click();
    await composer.pressSequentially('/ref');
    const picker = page.getByTestId('canned-picker');
    await picker.waitFor();
    const options = picker.getByRole('option');
    expect(await options.first().textContent()).toContain('/refund');
    expect(await options.allTextContents()).not.toContainEqual(expect.stringContaining('/bye'));
    await composer.press('ArrowDown');
    await composer.press('ArrowUp');
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    await page.screenshot({ path: SCREENSHOTS.picker });
    await composer.press('Enter');
    await picker.waitFor({ state: 'hidden' });

    // Filled in for this customer and left for editing: nothing was sent.
    await expect.poll(() => composer.inputValue(), POLL).toMatch(/^王小明，仓库收到退货并验收/);
    expect((await customer.messages()).some((m) => m.author.type === 'agent')).toBe(false);
    const filled = await composer.inputValue();
    expect(filled).not.toContain('{{');
    await composer.press('End');
    await composer.pressSequentially(' 祝您购物愉快！');
    await composer.press('Enter');
    await expect.poll(async () => (await customer.messages()).find((m) => m.author.type === 'agent')?.text, POLL).toBe(`${filled} 祝您购物愉快！`);

    // A reply whose variable has no value here keeps its {{…}} and is flagged; the button opens the picker with a search.
    const personal = await api('POST', '/v1/canned-replies', { shortcut: 'mail', title: '发邮件', body: '我们会把发票发到 {{contact.email}}。' });
    expect(personal.status).toBe(201);
    await page.getByTestId('canned-button').click();
    const search = page.getByTestId('canned-search');
    await expect.poll(async () => search.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    await search.pressSequentially('发票');
    await picker.getByRole('option', { name: /\/mail/ }).waitFor();
    await search.press('Enter');
    await expect.poll(() => composer.inputValue(), POLL).toBe('我们会把发票发到 {{contact.email}}。');
    await page.getByTestId('composer-missing').getByText('{{contact.email}}').waitFor();
    await composer.fill('我们会把发票发到您的邮箱。');
    await page.getByTestId('composer-missing').waitFor({ state: 'hidden' });
    await composer.fill('');

    // Lily is on the inbox, not in this conversation; her header has no mentions yet.
    const lilyContext = await h.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const lily = await lilyContext.newPage();
      lily.setDefaultTimeout(15_000);
      await logIn(lily, LILY.email, LILY.password);
      expect(await lily.getByTestId('mentions-count').count()).toBe(0);

      // In a note, "@Li" offers Lily; Enter puts her name in; the note shows the mention highlighted.
      await page.locator('.composer-mode[data-mode="note"]').click();
      await composer.pressSequentially('@Li');
      const mentionPicker = page.getByTestId('mention-picker');
      await mentionPicker.getByRole('option', { name: /Lily 李丽/ }).waitFor();
      await composer.press('Enter');
      await expect.poll(() => composer.inputValue(), POLL).toBe('@Lily 李丽 ');
      await composer.pressSequentially('请跟进这位客户的退款');
      await composer.press('Enter');
      const note = page.getByRole('log').locator('.msg-note', { hasText: '请跟进这位客户的退款' });
      await note.locator('mark.mention', { hasText: '@Lily 李丽' }).waitFor();

      // Lily's header counts it live; the list opens the conversation, which reads it.
      await lily.getByTestId('mentions-count').getByText('1').waitFor();
      await lily.getByTestId('mentions-button').click();
      const item = lily.getByTestId('mentions-list').locator('.mentions-item.is-unread');
      await item.getByText('Demo Admin 演示管理员 提及了您').waitFor();
      await item.getByText('@Lily 李丽 请跟进这位客户的退款').waitFor();
      await lily.screenshot({ path: SCREENSHOTS.mentions });
      await item.click();
      await expect.poll(() => lily.url(), POLL).toContain(`/app/c/${customer.id}`);
      await lily.getByRole('log').locator('mark.mention.is-me', { hasText: '@Lily 李丽' }).waitFor();
      await lily.getByTestId('mentions-count').waitFor({ state: 'hidden' });
      // The customer never sees the note.
      expect((await customer.messages()).some((m) => m.text.includes('请跟进'))).toBe(false);
    } finally {
      await lilyContext.close();
    }
  });

  it('manages canned replies on their settings page: search, create with a variable, delete', { timeout: 60_000 }, async () => {
    const { page } = h;
    await page.goto(`${h.server.url}/app/settings/replies`);
    const list = page.getByTestId('canned-list');
    await list.locator('[data-shortcut="refund"]').waitFor();
    await page.getByTestId('canned-filter').fill('thanks');
    await expect.poll(() => list.locator('.canned-item').count(), POLL).toBe(1);
    await page.getByTestId('canned-filter').fill('');

    await page.getByTestId('canned-new').click();
    const form = page.getByTestId('canned-form');
    await form.getByTestId('canned-field-shortcut').fill('vip');
    await form.getByTestId('canned-field-title').fill('VIP 问候');
    await form.getByTestId('canned-field-body').fill('尊敬的');
    await form.locator('[data-variable="{{contact.name}}"]').click();
    await form.getByTestId('canned-field-body').press('End');
    await form.getByTestId('canned-field-body').pressSequentially('，您好！');
    expect(await form.getByTestId('canned-field-body').inputValue()).toBe('尊敬的{{contact.name}}，您好！');
    // A misspelt variable is refused, naming it.
    await form.getByTestId('canned-field-body').fill('尊敬的{{contact.nmae}}');
    await form.getByTestId('canned-save').click();
    await form
      .locator('.field-error')
      .getByText(/contact\.nmae/)
      .waitFor();
    await form.getByTestId('canned-field-body').fill('尊敬的{{contact.name}}，您好！');
    await form.getByTestId('canned-save').click();
    const row = list.locator('[data-shortcut="vip"]');
    await row.getByText('个人').waitFor();
    await row.getByRole('button', { name: '删除' }).click();
    await row.getByRole('button', { name: '删除' }).click();
    await row.waitFor({ state: 'detached' });
  });
});
