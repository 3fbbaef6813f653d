import { readFile } from 'node:fs/promises';
import type { IntentModelRun } from '@kefu/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../apps/server/src/test-support/test-server.js';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * The Understanding section of the console in real Chromium against a real server: an admin opens it
 * from the header, imports a Rasa NLU YAML file with three intents, trains the model and watches the
 * progress bar reach ready and the held-out confusion report drawn, tries a Chinese message (top
 * intent, a highlighted entity, the sentiment), and sees the section's title in three languages; a
 * viewer then sees the same pages without an edit control.
 */

const TRY_SHOT = '/tmp/understanding-try.png';
const TRAINING_SHOT = '/tmp/understanding-training.png';
const POLL = { timeout: 30_000, interval: 50 };

const NEW_INTENTS = ['change_address', 'cancel_order', 'membership_points'];

const RASA = `version: "3.1"
nlu:
- intent: change_address
  examples: |
    - 我想改一下收货地址
    - 收货地址填错了怎么改
    - 能帮我换个收件地址吗
    - 地址写错了能修改吗
    - 我要修改配送地址
    - 把收货地址改成[上海](city)
    - 收貨地址可以改嗎
    - I need to change my shipping address
    - can I update the delivery address
    - the address on my order is wrong
- intent: cancel_order
  examples: |
    - 我要取消订单
    - 订单不想要了帮我取消
    - 怎么取消刚下的单
    - 取消我的订单
    - 刚下单能取消吗
    - 我要取消訂單
    - cancel my order
    - I want to cancel the order I just placed
    - how do I cancel an order
- intent: membership_points
  examples: |
    - 我的积分有多少
    - 积分怎么兑换
    - 会员积分在哪查
    - 积分什么时候过期
    - 怎么用积分抵扣
    - 我的會員積分還有多少
    - how many points do I have
    - how do I redeem my points
    - do my reward points expire
- synonym: address
  examples: |
    - 地址
`;

const MESSAGE = '收货地址填错了，帮我改一下地址，电话13812345678';
const PHONE = '13812345678';

let harness: ConsoleHarness;
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  harness = await openConsoleHarness();
  ({ server, browser, page } = harness);
}, 180_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(p: Page, email: string, password: string, path = '/app/') {
  await p.goto(`${server.url}${path}`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

describe('understanding console', () => {
  it('imports Rasa intents, trains with live progress, draws the evaluation and tries a message', { timeout: 180_000 }, async () => {
    await signIn(page, server.demo!.adminEmail, server.demo!.adminPassword!);

    // Header navigation: Inbox | Knowledge | Understanding.
    const nav = page.getByRole('navigation', { name: '功能区' });
    await nav.getByRole('link', { name: '意图理解' }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/understanding$/);
    expect(await nav.getByRole('link', { name: '意图理解' }).getAttribute('aria-current')).toBe('page');
    await page.getByRole('heading', { name: '意图', exact: true }).waitFor();
    for (const tab of ['意图', '训练', '试一试']) await page.locator('.kb-tabs').getByRole('link', { name: tab, exact: true }).waitFor();

    // The demo shop's intents are listed; no model is trained yet.
    const table = page.getByTestId('intent-table');
    await table.locator('tr[data-intent="order_status"]').waitFor();
    await table.locator('tr[data-intent="human_agent"]').getByText('转人工').waitFor();
    const status = page.getByTestId('model-status');
    await expect.poll(() => status.getAttribute('data-state'), POLL).toBe('untrained');

    // Import a Rasa NLU file through the file picker: the format is recognised from its name.
    const importer = page.getByTestId('intent-import');
    await page.getByTestId('intent-import-file').setInputFiles({ name: 'nlu.yml', mimeType: 'application/yaml', buffer: Buffer.from(RASA, 'utf8') });
    await page.getByTestId('intent-import-filename').filter({ hasText: 'nlu.yml' }).waitFor();
    expect(await importer.getByRole('radio', { name: 'YAML' }).isChecked()).toBe(true);
    await page.getByTestId('intent-import-submit').click();
    await page.getByTestId('intent-import-result').getByText('新建 3 个，更新 0 个。').waitFor();
    for (const name of NEW_INTENTS) await table.locator(`tr[data-intent="${name}"]`).waitFor();
    // Rasa's [text](entity) annotations become plain text.
    expect(await table.locator('tr[data-intent="change_address"] .intent-count').textContent()).toContain('10');

    // Search filters the list and is kept in the address.
    await page.getByTestId('intent-search').fill('积分');
    await expect.poll(() => page.url(), POLL).toContain('q=');
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBe(1);
    await table.locator('tr[data-intent="membership_points"]').waitFor();
    await page.getByTestId('intent-search').fill('');
    await expect.poll(() => table.locator('tbody tr').count(), POLL).toBeGreaterThan(5);

    // Train on the Training tab: the run's progress bar goes live and reaches ready.
    await page.locator('.kb-tabs').getByRole('link', { name: '训练', exact: true }).click();
    await page.getByRole('heading', { name: '训练', exact: true }).waitFor();
    await page.getByTestId('train').click();
    const progress = page.getByTestId('training-progress');
    await progress.waitFor();
    await expect.poll(() => progress.getAttribute('data-status'), POLL).toBe('ready');
    expect(await progress.getAttribute('aria-valuenow')).toBe('100');
    await page.getByTestId('training-current').getByText('模型 v1 已就绪并投入使用').waitFor();

    // The runs table has v1, serving, with its numbers.
    const run = page.getByTestId('runs-table').locator('tr.nlu-run[data-version="1"]');
    await run.getByText('使用中').waitFor();
    await run.getByText('就绪').waitFor();

    // The held-out evaluation is drawn: per-intent bars, worst first, with what each was mistaken for.
    const report = page.getByTestId('confusion-report');
    await report.locator('.nlu-confusion-row').first().waitFor();
    const names = await report.locator('.nlu-confusion-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-intent')));
    for (const name of [...NEW_INTENTS, 'order_status', 'refund']) expect(names).toContain(name);
    const accuracies = await report.locator('.nlu-confusion-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-accuracy'))));
    expect(accuracies).toEqual([...accuracies].sort((a, b) => a - b));
    const bar = report.locator(`.nlu-confusion-row[data-intent="${NEW_INTENTS[0]}"] .nlu-seg.is-correct`);
    await expect.poll(async () => (await bar.boundingBox())?.width ?? 0, POLL).toBeGreaterThan(20);
    await page.getByTestId('eval-accuracy').waitFor();
    const api = await demoAdminToken(server);
    const runs = (await (await fetch(`${server.url}/v1/intents/models`, { headers: { authorization: `Bearer ${api}` } })).json()) as {
      items: IntentModelRun[];
    };
    expect(runs.items[0]).toMatchObject({ version: 1, status: 'ready', serving: true });
    await page.locator('#nlu-main').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.screenshot({ path: TRAINING_SHOT, animations: 'disabled', fullPage: false });

    // Back on the intents tab the model is up to date.
    await page.locator('.kb-tabs').getByRole('link', { name: '意图', exact: true }).click();
    await expect.poll(() => page.getByTestId('model-status').getAttribute('data-state'), POLL).toBe('current');

    // Try it with a Chinese message: the top intent, the phone number highlighted, the sentiment.
    await page.locator('.kb-tabs').getByRole('link', { name: '试一试', exact: true }).click();
    await page.getByTestId('try-input').fill(MESSAGE);
    await page.getByTestId('try-run').click();
    await expect.poll(() => page.url(), POLL).toContain('/app/understanding/try?q=');
    const results = page.getByTestId('try-results');
    await results.waitFor();
    await expect.poll(() => page.getByTestId('try-intents').locator('li').first().getAttribute('data-intent'), POLL).toBe('change_address');
    expect(await page.getByTestId('try-intent').getAttribute('data-state')).not.toBe('no-model');
    const mark = page.getByTestId('try-message').locator('mark.nlu-entity[data-type="phone"]');
    await mark.filter({ hasText: PHONE }).waitFor();
    await mark.locator('.nlu-entity-type', { hasText: '电话' }).waitFor();
    // The message is shown as typed (full-width comma kept), though the server analysed it normalised.
    expect(await page.getByTestId('try-message').textContent()).toContain('填错了，帮我');
    await page.getByTestId('try-entities').locator('td', { hasText: '+8613812345678' }).waitFor();
    const sentiment = page.getByTestId('try-sentiment');
    await sentiment.getByTestId('try-sentiment-label').waitFor();
    expect(['负面', '中性', '正面']).toContain((await sentiment.getByTestId('try-sentiment-label').textContent())?.trim());
    await expect.poll(() => sentiment.locator('.nlu-emotion').count(), POLL).toBe(5);
    await page.screenshot({ path: TRY_SHOT, animations: 'disabled', fullPage: false });

    // An example in Traditional Chinese: anger with an emoji, negative.
    await page.locator('.example-chip', { hasText: '你們的客服爛透了' }).click();
    await expect.poll(() => sentiment.getAttribute('data-label'), POLL).toBe('negative');
    await page.getByTestId('try-cues').locator('.nlu-cue').first().waitFor();

    // A new intent, checked before it is sent, that answers with an FAQ entry found by search.
    await page.locator('.kb-tabs').getByRole('link', { name: '意图', exact: true }).click();
    await page.getByTestId('intent-new').click();
    await page.getByRole('heading', { name: '新建意图', exact: true }).waitFor();
    await page.getByTestId('intent-name').fill('shipping fee');
    await page.getByTestId('intent-examples').fill('运费多少钱\n邮费怎么算\n\nhow much is shipping');
    await expect.poll(() => page.getByTestId('intent-example-count').textContent(), POLL).toBe('3 条例句');
    await page.getByTestId('intent-thin-warning').getByText('例句少于 5 条').waitFor();
    await page.getByTestId('intent-action').getByText('用问答条目回答').click();
    await page.getByTestId('faq-picker-search').fill('包邮');
    const option = page.getByTestId('faq-picker').locator('.faq-picker-option', { hasText: '满多少包邮' });
    await option.click();
    await page.getByTestId('faq-picker-chosen').getByText('满多少包邮？运费怎么算？').waitFor();
    await page.getByTestId('intent-save').click();
    await page.locator('.kb-field.is-invalid').getByText('只能包含字母、数字').waitFor();
    expect(await page.getByTestId('intent-name').getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('intent-name').fill('shipping_fee');
    await page.getByTestId('intent-save').click();
    await page.getByTestId('intent-outcome').getByText('意图已创建。').waitFor();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/understanding\/intent\/[^/?]+$/);
    await page.getByTestId('intent-title').filter({ hasText: 'shipping_fee' }).waitFor();

    // The list shows its answer and few examples, and the model no longer matches the intents.
    await page.getByRole('link', { name: '全部意图' }).click();
    const row = table.locator('tr[data-intent="shipping_fee"]');
    await row.locator('.intent-action-faq', { hasText: '满多少包邮' }).waitFor();
    await row.locator('.intent-count.is-thin').waitFor();
    await expect.poll(() => page.getByTestId('model-status').getAttribute('data-state'), POLL).toBe('stale');
    await page.getByTestId('model-status').getByText('shipping_fee').waitFor();
    // Deleted after a confirmation: the model matches again.
    await row.getByTestId('intent-delete').click();
    await row.getByTestId('intent-delete-confirm').click();
    await row.waitFor({ state: 'detached' });
    await page.getByText('意图“shipping_fee”已删除。').waitFor();
    await expect.poll(() => page.getByTestId('model-status').getAttribute('data-state'), POLL).toBe('current');

    // An edited intent: saved, flagged as newer than the model, and "Train now" brings model v2.
    await table.locator('tr[data-intent="cancel_order"] a.intent-name').click();
    const examples = page.getByTestId('intent-examples');
    await examples.fill(`${await examples.inputValue()}\n订单能撤销吗`);
    await expect.poll(() => page.getByTestId('intent-example-count').textContent(), POLL).toBe('10 条例句');
    await page.getByTestId('intent-save').click();
    await page.getByTestId('intent-outcome').getByText('已保存。').waitFor();
    await page.getByRole('link', { name: '全部意图' }).click();
    await expect.poll(() => page.getByTestId('model-status').getAttribute('data-state'), POLL).toBe('stale');
    await page.getByTestId('model-status').getByText('cancel_order').waitFor();
    await page.getByTestId('train-now').click();
    await expect.poll(() => page.getByTestId('model-status').getAttribute('data-state'), POLL).toBe('current');
    await page.getByTestId('model-status').getByText('模型 v2 正在使用').waitFor();

    // The UI language: Traditional Chinese, then English, then back.
    await page.locator('.kb-tabs').getByRole('link', { name: '试一试', exact: true }).click();
    await page.getByRole('heading', { name: '试一试', exact: true }).waitFor();
    const switcher = page.getByTestId('language-switcher');
    await switcher.selectOption('zh-TW');
    await page.getByRole('navigation', { name: '功能區' }).getByRole('link', { name: '意圖理解' }).waitFor();
    await page.locator('.kb-nav-title', { hasText: '意圖理解' }).waitFor();
    await page.getByRole('heading', { name: '試一試', exact: true }).waitFor();
    await switcher.selectOption('en');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Understanding' }).waitFor();
    await page.locator('.kb-nav-title', { hasText: 'Understanding' }).waitFor();
    await page.getByRole('heading', { name: 'Try it', exact: true }).waitFor();
    await switcher.selectOption('zh-CN');
    await page.getByRole('heading', { name: '试一试', exact: true }).waitFor();
  });

  it('shows a viewer the intents, runs and Try it, read-only', { timeout: 90_000 }, async () => {
    const token = await demoAdminToken(server);
    const password = 'viewer-password-1';
    const r = await fetch(`${server.url}/v1/members`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nlu-viewer@demo.kefu.local', name: '只读同事', role: 'viewer', password }),
    });
    expect(r.status).toBeLessThan(300);

    const viewer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const p = await viewer.newPage();
      p.setDefaultTimeout(15_000);
      await signIn(p, 'nlu-viewer@demo.kefu.local', password, '/app/understanding');
      await p.getByTestId('intent-table').locator('tr[data-intent="change_address"]').waitFor();
      await p.locator('.kb-nav').getByText('只读').waitFor();
      expect(await p.getByTestId('intent-new').count()).toBe(0);
      expect(await p.getByTestId('intent-import').count()).toBe(0);
      expect(await p.getByTestId('intent-delete').count()).toBe(0);
      expect(await p.getByTestId('train-now').count()).toBe(0);
      // Exporting is reading: the CSV downloads with every example.
      const [download] = await Promise.all([p.waitForEvent('download'), p.getByTestId('intent-export').getByRole('button', { name: '下载 CSV 文件' }).click()]);
      expect(download.suggestedFilename()).toBe('intents.csv');
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv).toContain('intent,example');
      expect(csv).toContain('membership_points,how many points do I have');

      // An intent opens read-only.
      await p.getByTestId('intent-table').locator('tr[data-intent="cancel_order"] a.intent-name').click();
      await p.getByTestId('intent-read').getByText('cancel my order').waitFor();
      expect(await p.getByTestId('intent-form').count()).toBe(0);

      await p.locator('.kb-tabs').getByRole('link', { name: '训练', exact: true }).click();
      await p.getByTestId('runs-table').locator('tr.nlu-run[data-version="1"]').waitFor();
      expect(await p.getByTestId('train').count()).toBe(0);
      await p.getByTestId('confusion-report').waitFor();

      await p.goto(`${server.url}/app/understanding/try?q=${encodeURIComponent('我的快递到哪了？明天能到吗')}`);
      await p.getByTestId('try-results').waitFor();
      await p.getByTestId('try-message').locator('mark.nlu-entity[data-type="datetime"]').filter({ hasText: '明天' }).waitFor();
    } finally {
      await viewer.close();
    }
  });
});
