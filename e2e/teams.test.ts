import type { LoginResponse, Member, Team } from '@kefu/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * Settings → Teams in real Chromium against a real server with the demo shop: an admin finds the empty
 * state, creates a team with two agents (one of them online), is told under the name field that a
 * second team cannot take the same name, swaps a member, reads the page in Traditional Chinese and
 * deletes the team, whose conversations go back to the shared queue. A viewer sees the teams read-only.
 */

const EMPTY_SHOT = '/tmp/teams-empty.png';
const SHOT = '/tmp/teams.png';
const EDIT_SHOT = '/tmp/teams-edit.png';
const POLL = { timeout: 10_000, interval: 50 };
const LILY = { email: 'teams-lily@demo.test', name: 'Lily 李丽', password: 'correct-horse-1', role: 'agent' };
const WANG = { email: 'teams-wang@demo.test', name: '王强', password: 'correct-horse-2', role: 'agent' };
const CHEN = { email: 'teams-chen@demo.test', name: '陈晨', password: 'correct-horse-3', role: 'agent' };
const VIEWER = { email: 'teams-viewer@demo.test', name: '只读同事', password: 'correct-horse-4', role: 'viewer' };

let h: ConsoleHarness;
let page: Page;
let adminToken: string;

beforeAll(async () => {
  h = await openConsoleHarness();
  page = h.page;
  adminToken = await demoAdminToken(h.server);
  for (const m of [LILY, WANG, CHEN, VIEWER]) expect((await call<Member>('POST', '/v1/members', m)).status).toBe(201);
  // Lily comes online, as she would from the header's presence switch.
  const login = await fetch(`${h.server.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: LILY.email, password: LILY.password }),
  });
  const lilyToken = ((await login.json()) as LoginResponse).token;
  expect((await call('PUT', '/v1/me/presence', { presence: 'online' }, lilyToken)).status).toBe(200);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

async function call<T>(method: string, path: string, body?: unknown, token = adminToken): Promise<{ status: number; body: T }> {
  const r = await fetch(h.server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as T };
}

async function signIn(p: Page, email: string, password: string, path: string) {
  await p.goto(`${h.server.url}${path}`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

const option = (p: Page, name: string) => p.getByTestId('team-member-options').locator(`label[data-member="${name}"]`).getByRole('checkbox');

describe('teams settings', () => {
  it('creates a team with two agents, refuses a taken name beside the field, swaps a member, reads in 繁體中文 and deletes it', {
    timeout: 180_000,
  }, async () => {
    await signIn(page, h.server.demo!.adminEmail, h.server.demo!.adminPassword!, '/app/settings');
    await page.locator('.kb-tabs').getByRole('link', { name: '团队', exact: true }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/settings\/teams$/);
    await page.getByRole('heading', { name: '团队', level: 1 }).waitFor();

    // No teams yet: the page explains what they are for.
    const empty = page.getByTestId('teams-empty');
    await empty.getByText('还没有团队').waitFor();
    await empty.getByText('转给团队的会话只有该团队的成员和管理员看得到。').waitFor();
    await page.screenshot({ path: EMPTY_SHOT, animations: 'disabled' });

    // Create 售后组 with Lily (found by searching) and 王强.
    await empty.getByRole('button', { name: '创建第一个团队' }).click();
    const form = page.getByTestId('team-form');
    await form.getByRole('heading', { name: '新建团队' }).waitFor();
    await form.getByLabel('名称').fill('售后组');
    await form.getByLabel('说明').fill('退换货与维修');
    // The checklist offers agents and admins, never viewers.
    await option(page, '陈晨').waitFor();
    expect(await page.getByTestId('team-member-options').locator(`label[data-member="${VIEWER.name}"]`).count()).toBe(0);
    await form.getByTestId('team-member-search').fill('lily');
    await expect.poll(() => page.getByTestId('team-member-options').locator('label').count(), POLL).toBe(1);
    await option(page, LILY.name).check();
    await form.getByTestId('team-member-search').fill('');
    await option(page, WANG.name).check();
    await form.getByTestId('team-selected-count').getByText('已选 2 人').waitFor();
    await form.getByTestId('team-save').click();

    await page.getByRole('status').getByText('已创建团队“售后组”。').waitFor();
    const card = page.locator('.team-card[data-team="售后组"]');
    await card.getByText('退换货与维修').waitFor();
    await card.locator(`.team-member[data-member="${LILY.name}"].presence-online`).waitFor();
    await card.locator(`.team-member[data-member="${WANG.name}"].presence-offline`).waitFor();
    await card.getByTestId('team-online').getByText('1 人在线').waitFor();
    await page.screenshot({ path: SHOT, animations: 'disabled' });

    // A second team with the same name: the server's refusal is shown under the name field.
    await page.getByTestId('team-new').click();
    const second = page.getByTestId('team-form');
    await second.getByLabel('名称').fill('售后组');
    await second.getByTestId('team-save').click();
    const nameField = second.locator('.kb-field', { has: page.getByTestId('team-name') });
    await nameField.locator('.field-error', { hasText: '已有同名的团队。' }).waitFor();
    expect(await page.getByTestId('team-name').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('team-name');
    // Typing again clears the server's complaint; giving up closes the form.
    await page.getByTestId('team-name').fill('售后二组');
    expect(await nameField.locator('.field-error').count()).toBe(0);
    await second.getByTestId('team-close').click();
    await page.getByTestId('team-form').waitFor({ state: 'detached' });
    expect((await call<{ items: Team[] }>('GET', '/v1/teams')).body.items.map((t) => t.name)).toEqual(['售后组']);

    // Edit: 王强 out, 陈晨 in.
    await card.getByTestId('team-edit').click();
    const edit = page.getByTestId('team-form');
    await edit.getByRole('heading', { name: '编辑“售后组”' }).waitFor();
    expect(await option(page, LILY.name).isChecked()).toBe(true);
    expect(await option(page, WANG.name).isChecked()).toBe(true);
    await option(page, WANG.name).uncheck();
    await option(page, CHEN.name).check();
    await page.screenshot({ path: EDIT_SHOT, animations: 'disabled' });
    await edit.getByTestId('team-save').click();
    await page.getByRole('status').getByText('已保存团队“售后组”。').waitFor();
    await card.locator(`.team-member[data-member="${CHEN.name}"]`).waitFor();
    expect(await card.locator(`.team-member[data-member="${WANG.name}"]`).count()).toBe(0);
    const saved = (await call<{ items: Team[] }>('GET', '/v1/teams')).body.items;
    expect(saved.map((t) => t.members.map((m) => m.name).sort())).toEqual([[LILY.name, CHEN.name].sort()]);

    // The page in Traditional Chinese.
    await page.getByTestId('language-switcher').selectOption({ label: '繁體中文' });
    await page.locator('.kb-tabs').getByRole('link', { name: '團隊', exact: true }).waitFor();
    await page.getByRole('heading', { name: '團隊', level: 1 }).waitFor();
    await card.getByTestId('team-online').getByText('1 人線上').waitFor();
    await card.getByText('2 位成員').waitFor();
    await card.getByRole('button', { name: '編輯' }).waitFor();

    // Delete, after a confirmation that says where the conversations go (the name is as typed, not converted).
    await card.getByTestId('team-edit').click();
    await page.getByTestId('team-delete').click();
    await page.getByRole('alertdialog').getByText('刪除「售后组」？它的對話和工單會回到公共佇列，所有客服都看得到。').waitFor();
    // Looking is not deleting: the confirmation's cancel button has focus.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('取消');
    await page.getByTestId('team-delete-confirm').click();
    await page.getByRole('status').getByText('已刪除團隊「售后组」，它的對話已回到公共佇列。').waitFor();
    await page.getByTestId('teams-empty').getByText('還沒有團隊').waitFor();
    expect((await call<{ items: Team[] }>('GET', '/v1/teams')).body.items).toEqual([]);
  });

  it('shows a viewer the teams read-only', { timeout: 90_000 }, async () => {
    expect((await call('POST', '/v1/teams', { name: 'VIP 组', memberIds: [] })).status).toBe(201);
    const ctx = await h.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const p = await ctx.newPage();
      p.setDefaultTimeout(15_000);
      await signIn(p, VIEWER.email, VIEWER.password, '/app/settings/teams');
      const card = p.locator('.team-card[data-team="VIP 组"]');
      await card.getByText('还没有成员：转到这里的会话会一直等到有人加入。').waitFor();
      await p.getByText('你的角色可以查看团队，但不能修改；团队由管理员创建和编辑。').waitFor();
      expect(await p.getByTestId('team-edit').count()).toBe(0);
      expect(await p.getByTestId('team-new').count()).toBe(0);
    } finally {
      await ctx.close();
    }
  });
});
