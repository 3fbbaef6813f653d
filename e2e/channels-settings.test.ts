import type { Member, WorkspaceSettingsView } from '@kefu/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * Settings → Channels in real Chromium against a real server with the demo shop: an admin copies the
 * install line, is stopped at the colour field by a colour that is not #rrggbb (nothing is saved),
 * then themes the widget (colour, left side) with the preview following, switches on a pre-chat form
 * with a required e-mail and a proactive greeting, saves, and the public widget config serves exactly
 * that; reveals the identity secret and rotates it behind a confirmation. A viewer reads the widget
 * settings without the secret. An agent sees the customer's rating on a rated conversation.
 */

const SHOT = '/tmp/channels-widget.png';
const PREVIEW_SHOT = '/tmp/channels-widget-preview.png';
const RATING_SHOT = '/tmp/conversation-rating.png';
const POLL = { timeout: 10_000, interval: 50 };
const VIEWER = { email: 'channels-viewer@demo.test', name: '只读同事', password: 'correct-horse-5', role: 'viewer' };

interface WidgetConfig {
  theme: { color: string; position: string; logoUrl: string | null };
  preChat: { fields: { key: string; required: boolean }[]; intro: Record<string, string> } | null;
  proactive: { delaySeconds: number; message: Record<string, string> } | null;
  csat: { enabled: boolean };
}

let h: ConsoleHarness;
let page: Page;
let adminToken: string;
let widgetKey: string;

beforeAll(async () => {
  h = await openConsoleHarness();
  page = h.page;
  adminToken = await demoAdminToken(h.server);
  widgetKey = h.server.demo!.workspace.widgetKey;
  expect((await call<Member>('POST', '/v1/members', VIEWER)).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await h?.close();
});

async function call<T>(method: string, path: string, body?: unknown, token: string | null = adminToken): Promise<{ status: number; body: T }> {
  const r = await fetch(h.server.url + path, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as T };
}

const widgetConfig = async () => (await call<WidgetConfig>('GET', `/v1/widget/config?key=${encodeURIComponent(widgetKey)}`, undefined, null)).body;

async function signIn(p: Page, email: string, password: string, path: string) {
  await p.goto(`${h.server.url}${path}`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

async function openChannels(p: Page) {
  await p.locator('.kb-tabs').getByRole('link', { name: '渠道', exact: true }).click();
  await expect.poll(() => p.url(), POLL).toMatch(/\/app\/settings\/channels$/);
  await p.getByRole('heading', { name: '网页插件', level: 2 }).waitFor();
}

const launcherColour = (p: Page) => p.getByTestId('widget-preview-launcher').evaluate((el) => getComputedStyle(el).backgroundColor);

describe('channels settings', () => {
  it('themes the widget, turns on the pre-chat form and a greeting, refuses a bad colour at the field, and rotates the identity secret', {
    timeout: 180_000,
  }, async () => {
    await signIn(page, h.server.demo!.adminEmail, h.server.demo!.adminPassword!, '/app/settings');
    await openChannels(page);

    // The install line: this console's origin, this workspace's key.
    const snippet = await page.getByTestId('widget-snippet').textContent();
    expect(snippet).toBe(`<script src="${h.server.url}/widget/loader.js" data-widget-key="${widgetKey}" async></script>`);

    // A colour that is not #rrggbb: the field says so, focus goes to it, and nothing reaches the server.
    const form = page.getByTestId('widget-form');
    const colour = page.getByTestId('widget-color');
    await colour.fill('#12zz45');
    await form.getByTestId('widget-save').click();
    const colourField = form.locator('.kb-field', { has: colour });
    await colourField.locator('.field-error', { hasText: '请输入 #rrggbb 格式的颜色' }).waitFor();
    expect(await colour.getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), POLL).toBe('widget-color');
    expect((await call<WorkspaceSettingsView>('GET', '/v1/settings')).body.settings.widget).toBeUndefined();
    expect((await widgetConfig()).theme.color).toBe('#2f6df6');
    // The preview keeps the colour it can draw.
    expect(await launcherColour(page)).toBe('rgb(47, 109, 246)');

    // A real colour, on the left: the preview follows before anything is saved.
    await colour.fill('#0a7d4f');
    await expect.poll(() => colourField.locator('.field-error').count(), POLL).toBe(0);
    await expect.poll(() => launcherColour(page), POLL).toBe('rgb(10, 125, 79)');
    expect(await page.getByTestId('widget-preview-header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 79)');
    await page.getByTestId('widget-position').getByText('左下角').click();
    expect(await page.getByTestId('widget-preview-launcher').getAttribute('data-position')).toBe('left');

    // Pre-chat form: e-mail required, phone optional, no name; a line above it.
    await page.getByText('在第一条消息前询问访客信息').click();
    expect(await page.getByTestId('widget-prechat-enabled').isChecked()).toBe(true);
    const fields = page.getByTestId('widget-prechat-fields');
    await fields.locator('[data-field="name"]').getByText('不询问').click();
    await fields.locator('[data-field="email"]').getByText('必填').click();
    await fields.locator('[data-field="phone"]').getByText('选填').click();
    await page.getByTestId('widget-prechat-intro-zh-CN').fill('请留下邮箱，方便我们回复您。');
    await page.getByTestId('widget-preview').getByText('请留下邮箱，方便我们回复您。').waitFor();

    // Proactive greeting after 5 s, in two languages; the closed preview shows the bubble.
    await page.getByText('向尚未咨询的访客主动问好').click();
    expect(await page.getByTestId('widget-proactive-enabled').isChecked()).toBe(true);
    await page.getByTestId('widget-proactive-delay').fill('5');
    await page.getByTestId('widget-proactive-message-zh-CN').fill('需要帮忙吗？');
    await page.getByTestId('widget-proactive-message-en').fill('Need a hand?');
    await page.getByTestId('widget-preview').getByRole('button', { name: '收起' }).click();
    await page.getByTestId('widget-preview-greeting').getByText('需要帮忙吗？').waitFor();
    await page.getByTestId('widget-preview').screenshot({ path: PREVIEW_SHOT, animations: 'disabled' });

    await form.getByTestId('widget-save').click();
    await page.getByTestId('widget-saved').getByText('已保存。').waitFor();
    await page.screenshot({ path: SHOT, animations: 'disabled', fullPage: true });

    // What the widget on a customer's site now reads.
    const config = await widgetConfig();
    expect(config.theme).toEqual({ color: '#0a7d4f', position: 'left', logoUrl: null });
    expect(config.preChat).toEqual({
      fields: [
        { key: 'email', required: true },
        { key: 'phone', required: false },
      ],
      intro: { 'zh-CN': '请留下邮箱，方便我们回复您。' },
    });
    expect(config.proactive).toEqual({ delaySeconds: 5, message: { 'zh-CN': '需要帮忙吗？', en: 'Need a hand?' } });
    expect(config.csat.enabled).toBe(true);

    // After a reload the form shows what was saved.
    await page.reload();
    await page.getByRole('heading', { name: '网页插件', level: 2 }).waitFor();
    await expect.poll(() => page.getByTestId('widget-color').inputValue(), POLL).toBe('#0a7d4f');
    expect(await page.getByTestId('widget-prechat-enabled').isChecked()).toBe(true);
    expect(await page.getByTestId('widget-proactive-delay').inputValue()).toBe('5');

    // The identity secret: hidden until asked for, then the one the API gives.
    const secret = page.getByTestId('identity-secret');
    expect(await secret.getAttribute('type')).toBe('password');
    expect(await secret.inputValue()).toBe('');
    await page.getByTestId('identity-secret-reveal').click();
    await expect.poll(() => secret.inputValue(), POLL).not.toBe('');
    const before = await secret.inputValue();
    expect(await secret.getAttribute('type')).toBe('text');
    expect(before).toBe((await call<{ secret: string }>('GET', '/v1/settings/identity-secret')).body.secret);
    await page.getByTestId('identity-example').getByText("createHmac('sha256'", { exact: false }).waitFor();

    // Rotating asks first and says what breaks; cancelling keeps the secret.
    await page.getByTestId('identity-secret-rotate').click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText('重新计算哈希', { exact: false }).waitFor();
    await confirm.getByRole('button', { name: '取消' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await secret.inputValue()).toBe(before);

    await page.getByTestId('identity-secret-rotate').click();
    await page.getByTestId('identity-secret-rotate-confirm').click();
    await page.getByRole('status').getByText('已生成新的身份密钥', { exact: false }).waitFor();
    await expect.poll(() => secret.inputValue(), POLL).not.toBe(before);
    const after = await secret.inputValue();
    expect(after).toBe((await call<{ secret: string }>('GET', '/v1/settings/identity-secret')).body.secret);
  });

  it('shows a viewer the widget settings read-only, without the identity secret', { timeout: 120_000 }, async () => {
    const context = await h.browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    try {
      await signIn(p, VIEWER.email, VIEWER.password, '/app/settings');
      await openChannels(p);
      await p.getByText('您的角色可以查看网页插件设置，但不能修改。').waitFor();
      await expect.poll(() => p.getByTestId('widget-color').inputValue(), POLL).toBe('#0a7d4f');
      expect(await p.getByTestId('widget-color').isDisabled()).toBe(true);
      expect(await p.getByTestId('widget-save').count()).toBe(0);
      expect(await p.getByTestId('identity-secret-card').count()).toBe(0);
      // The install line is for everyone who sets up the site.
      expect(await p.getByTestId('widget-snippet').textContent()).toContain(widgetKey);
    } finally {
      await context.close();
    }
  });

  it("shows the customer's rating and comment on a rated conversation", { timeout: 120_000 }, async () => {
    const start = await fetch(`${h.server.url}/v1/widget/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kefu-widget-key': widgetKey },
      body: JSON.stringify({ locale: 'zh-CN', contact: { name: '评分顾客' } }),
    });
    expect(start.status).toBe(201);
    const started = (await start.json()) as { conversation: { id: string }; visitorToken: string };
    const id = started.conversation.id;
    expect((await call('POST', `/v1/widget/conversations/${id}/messages`, { text: '你好' }, started.visitorToken)).status).toBe(200);
    expect((await call('POST', `/v1/widget/conversations/${id}/end`, undefined, started.visitorToken)).status).toBe(200);
    expect((await call('POST', `/v1/widget/conversations/${id}/rating`, { score: 4, comment: '回复很快' }, started.visitorToken)).status).toBe(200);

    await page.goto(`${h.server.url}/app/c/${encodeURIComponent(id)}`);
    const rating = page.getByTestId('conversation-rating');
    await rating.getByText('4/5').waitFor();
    await rating.getByText('回复很快').waitFor();
    expect(await rating.getAttribute('data-score')).toBe('4');
    expect(await rating.locator('.rating-stars .is-on').count()).toBe(4);
    await page.locator('.conv-head').screenshot({ path: RATING_SHOT, animations: 'disabled' });
  });
});
