import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';
import { widgetCustomer } from './support/customer.js';
import { type ShopSite, shopPage, startShopSite } from './support/shop-site.js';

// The beginning and the end of a chat in the embedded widget: the details form the workspace asks for,
// and the satisfaction survey once the conversation is resolved — by an agent, or by the customer
// ending it — answered with the keyboard, changed later, and seen by the agent.

const STEP_TIMEOUT = 120_000;
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 100 });

let server: TestServer;
let site: ShopSite;
let siteUrl: string;
let browser: Browser;
let admin: Record<string, string>;

async function api(method: string, path: string, body?: object) {
  const r = await fetch(`${server.url}${path}`, { method, headers: admin, ...(method === 'GET' ? {} : { body: JSON.stringify(body ?? {}) }) });
  if (r.status >= 400) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.json();
}

/** A fresh visitor (own storage) on the shop page, with the chat open. */
async function visitor(locale: string): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${siteUrl}/`);
  const launcher = page.locator('[data-kefu-widget] button.l');
  await eventually(() => launcher.count()).toBe(1);
  await launcher.click();
  return { page, context };
}

describe('the widget’s pre-chat form and satisfaction survey', () => {
  beforeAll(async () => {
    ensureBuilt('@kefu/protocol', '@kefu/widget');
    server = await startTestServer({ listen: true });
    admin = { authorization: `Bearer ${await demoAdminToken(server)}`, 'content-type': 'application/json' };
    const key = server.demo!.workspace.widgetKey;
    site = await startShopSite(() => shopPage({ kefuUrl: server.url, widgetKey: key }));
    siteUrl = site.url;
    browser = await launchChromium();
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await server?.close();
  });

  it(
    'asks for the details first, refuses a bad e-mail at the field, and starts the chat with them on the contact',
    async () => {
      await api('PATCH', '/v1/settings', {
        widget: {
          preChat: {
            enabled: true,
            fields: [
              { key: 'name', required: false },
              { key: 'email', required: true },
            ],
            intro: { 'zh-CN': '请留下邮箱，方便我们回复您' },
          },
        },
      });
      const { page, context } = await visitor('zh-CN');
      const customer = widgetCustomer(page);
      const form = customer.chat.getByTestId('prechat');
      await form.waitFor();
      expect(await form.textContent()).toContain('请留下邮箱，方便我们回复您');
      // No composer (and no conversation) before the form is done.
      expect(await customer.chat.getByRole('textbox', { name: '输入消息' }).isHidden()).toBe(true);

      await customer.chat.getByRole('button', { name: '开始咨询' }).click();
      expect(await customer.chat.getByText('请填写此项。').count()).toBe(1);
      expect(await customer.chat.getByLabel(/^邮箱/).getAttribute('aria-invalid')).toBe('true');
      await customer.chat.getByLabel(/^姓名/).fill('韩梅梅');
      await customer.chat.getByLabel(/^邮箱/).fill('hanmeimei@');
      await customer.chat.getByLabel(/^邮箱/).press('Enter');
      expect(await customer.chat.getByText(/请输入有效的邮箱地址/).count()).toBe(1);
      await customer.chat.getByLabel(/^邮箱/).fill('hanmeimei@example.com');
      await customer.chat.getByLabel(/^邮箱/).press('Enter');

      await customer.chat.getByRole('textbox', { name: '输入消息' }).waitFor();
      expect(await form.count()).toBe(0);
      const id = await customer.conversationId();
      const conversation = await api('GET', `/v1/conversations/${id}`);
      const contact = await api('GET', `/v1/contacts/${conversation.contact.id}`);
      expect(contact).toMatchObject({ name: '韩梅梅', email: 'hanmeimei@example.com' });

      // After a reload the chat is there again, without the form.
      await page.reload();
      await page.locator('[data-kefu-widget] button.l').click();
      await customer.chat.getByRole('textbox', { name: '输入消息' }).waitFor();
      expect(await form.count()).toBe(0);
      await api('PATCH', '/v1/settings', { widget: { preChat: { enabled: false } } });
      await context.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'offers the survey when the agent resolves the chat; the customer rates with the keyboard, changes it, and the agent sees it',
    async () => {
      const { page, context } = await visitor('zh-CN');
      const customer = widgetCustomer(page);
      await customer.ask('我要转人工');
      await eventually(() => customer.said('contact').count()).toBe(1);
      const id = await customer.conversationId();
      await eventually(async () => (await api('GET', `/v1/conversations/${id}`)).status).toMatch(/queued|assigned/);
      if ((await api('GET', `/v1/conversations/${id}`)).status === 'queued') await api('POST', `/v1/conversations/${id}/claim`);
      await api('POST', `/v1/conversations/${id}/messages`, { text: '已为您处理好了，还有其他问题吗？' });
      await api('PATCH', `/v1/conversations/${id}`, { status: 'resolved' });

      const survey = customer.chat.getByTestId('csat');
      await survey.waitFor();
      expect(await survey.getByRole('group', { name: '您对本次服务满意吗？' }).count()).toBe(1);
      // The comment box and the button come with a choice.
      expect(await customer.chat.getByRole('button', { name: '提交评价' }).isVisible()).toBe(false);
      // Keyboard only: focus the first face, arrow to the fourth, Space picks it.
      await customer.chat.getByRole('radio', { name: '1 分：非常不满意' }).focus();
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      expect(await customer.chat.getByRole('radio', { name: '4 分：满意' }).isChecked()).toBe(true);
      expect(await customer.chat.getByRole('button', { name: '修改评价' }).isVisible()).toBe(false);
      await customer.chat.getByLabel('还有什么想告诉我们的吗？（选填）').fill('回复很快');
      await customer.chat.getByRole('button', { name: '提交评价' }).click();
      await customer.chat.getByTestId('csat-thanks').waitFor();
      expect(await customer.chat.getByTestId('csat-thanks').textContent()).toContain('感谢您的评价！');
      // The way back to the question is there once it is answered, not while it is asked.
      expect(await customer.chat.getByRole('button', { name: '修改评价' }).isVisible()).toBe(true);
      await eventually(async () => (await api('GET', `/v1/conversations/${id}`)).rating?.score).toBe(4);
      expect((await api('GET', `/v1/conversations/${id}`)).rating.comment).toBe('回复很快');

      // Changed their mind: one rating, the new one.
      await customer.chat.getByRole('button', { name: '修改评价' }).click();
      await customer.chat.getByRole('radio', { name: '5 分：非常满意' }).check();
      await customer.chat.getByRole('button', { name: '提交评价' }).click();
      await customer.chat.getByTestId('csat-thanks').waitFor();
      await eventually(async () => (await api('GET', `/v1/conversations/${id}`)).rating?.score).toBe(5);

      // After a reload the survey shows the thanks, not the question again.
      await page.reload();
      await page.locator('[data-kefu-widget] button.l').click();
      await customer.chat.getByTestId('csat-thanks').waitFor();
      expect(await customer.chat.getByRole('button', { name: '提交评价' }).isVisible()).toBe(false);
      await context.close();
    },
    STEP_TIMEOUT,
  );

  it(
    'lets the customer end a chat with the bot themselves, in English, and rate it',
    async () => {
      const { page, context } = await visitor('en-US');
      const customer = widgetCustomer(page);
      const end = customer.chat.getByRole('button', { name: 'End this conversation' });
      await customer.chat.getByRole('textbox', { name: 'Your message' }).waitFor();
      // Nothing to end before they have written.
      expect(await end.isHidden()).toBe(true);
      await customer.ask('How long does shipping take?');
      await eventually(() => customer.said('bot').count()).toBeGreaterThan(1);
      await end.click();
      await customer.chat.getByTestId('notice-resolved').waitFor();
      expect(await end.isHidden()).toBe(true);
      await customer.chat.getByRole('radio', { name: '5 of 5: Very satisfied' }).check();
      await customer.chat.getByRole('button', { name: 'Send rating' }).click();
      await customer.chat.getByTestId('csat-thanks').waitFor();
      const id = await customer.conversationId();
      expect((await api('GET', `/v1/conversations/${id}`)).rating).toMatchObject({ score: 5, comment: null });

      // Writing again reopens the conversation; the bot answers as before.
      await customer.ask('Do you ship to Hong Kong?');
      await eventually(async () => (await api('GET', `/v1/conversations/${id}`)).status).toBe('bot');
      await context.close();
    },
    STEP_TIMEOUT,
  );
});
