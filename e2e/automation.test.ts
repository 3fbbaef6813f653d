import { readFile } from 'node:fs/promises';
import type { Flow, WorkspaceSettingsView } from '@kefu/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../apps/server/src/test-support/test-server.js';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * The Automation and Bot settings sections of the console in real Chromium against a real server with
 * the demo shop: an admin finds the four demo flows, reads one as a diagram, makes a YAML edit that
 * does not check (the problem is shown at its line and nothing is saved), saves a good edit, restores
 * the first version, creates a flow from a template and deletes it, and calls an action once with a
 * test order number; then changes the bot's persona and forbidden words and finds them after a
 * reload, in three UI languages. A viewer reads flows but cannot change them and never sees actions.
 */

const DIAGRAM_SHOT = '/tmp/automation-diagram.png';
const YAML_SHOT = '/tmp/automation-yaml.png';
const ACTION_SHOT = '/tmp/automation-action.png';
const SETTINGS_SHOT = '/tmp/settings-bot.png';
const USAGE_SHOT = '/tmp/settings-usage.png';
const REFUND_SHOT = '/tmp/automation-refund.png';
const POLL = { timeout: 15_000, interval: 50 };

const DEMO_FLOWS = ['order_status', 'refund_request', 'change_address', 'invoice_request'];
const ORDER_NO = 'YD2026111800456';
const PERSONA = '你是云朵商城的客服小云，说话亲切简洁，称呼客户为“亲”。';
const FORBIDDEN = '竞品';

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

async function api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const token = await demoAdminToken(server);
  const r = await fetch(server.url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: r.status, body: (await r.json().catch(() => null)) as T };
}

async function signIn(p: Page, email: string, password: string, path = '/app/') {
  await p.goto(`${server.url}${path}`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

/** Moves a slider as a person would: the value changes and React hears the input event. */
async function setRange(p: Page, testId: string, value: string) {
  await p.getByTestId(testId).evaluate((el: HTMLInputElement, v) => {
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

describe('automation console', () => {
  it('lists and draws the demo flows, refuses a bad YAML edit at its line, keeps versions, and tests an action', { timeout: 180_000 }, async () => {
    await signIn(page, server.demo!.adminEmail, server.demo!.adminPassword!);

    // Header navigation: … | Automation | Bot settings.
    const nav = page.getByRole('navigation', { name: '功能区' });
    await nav.getByRole('link', { name: '自动化' }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/automation$/);
    expect(await nav.getByRole('link', { name: '自动化' }).getAttribute('aria-current')).toBe('page');
    for (const tab of ['流程', '动作']) await page.locator('.kb-tabs').getByRole('link', { name: tab, exact: true }).waitFor();

    // The four demo flows, named in the UI language, each on, at version 1, with its triggers.
    const table = page.getByTestId('flow-table');
    for (const key of DEMO_FLOWS) await table.locator(`tr[data-flow="${key}"]`).waitFor();
    const orderRow = table.locator('tr[data-flow="order_status"]');
    await orderRow.locator('a.flow-name', { hasText: '查询订单状态' }).waitFor();
    await orderRow.locator('.flow-chip.is-intent', { hasText: 'order_status' }).waitFor();
    await orderRow.locator('.flow-chip', { hasText: '查订单' }).waitFor();
    expect(await orderRow.getByTestId('flow-enabled').isChecked()).toBe(true);
    await orderRow.getByText('v1', { exact: true }).waitFor();

    // The flow page draws its steps: one box per step, the ask's slot type, the call's action and
    // its error edge, the branch conditions on arrows to their steps.
    await orderRow.locator('a.flow-name').click();
    await page.getByTestId('flow-title').filter({ hasText: '查询订单状态' }).waitFor();
    const diagram = page.getByTestId('flow-diagram');
    await diagram.waitFor();
    const flows = await api<{ items: Flow[] }>('GET', '/v1/flows');
    const orderStatus = flows.body.items.find((f) => f.key === 'order_status')!;
    const steps = (orderStatus.definition as { steps: unknown[] }).steps.length;
    expect(await diagram.locator('.flow-node').count()).toBe(steps);
    const ask = diagram.locator('.flow-node[data-step="ask_order"]');
    expect(await ask.getAttribute('data-kind')).toBe('ask');
    await ask.locator('.flow-type', { hasText: '实体' }).waitFor();
    await ask.getByText('order_number').waitFor();
    const call = diagram.locator('.flow-node[data-step="lookup"]');
    await call.locator('.flow-action', { hasText: 'get_order' }).waitFor();
    await call.locator('.flow-edge-row.is-fail .flow-target', { hasText: 'lookup_failed' }).waitFor();
    const branch = diagram.locator('.flow-node[data-kind="branch"]').first();
    await branch.locator('.flow-cond', { hasText: "slots.order.status == 'shipped'" }).waitFor();
    expect(await diagram.locator('path.flow-edge[data-to="shipped"]').count()).toBe(1);
    expect(await diagram.locator('path.flow-edge[data-from="lookup"][data-to="lookup_failed"]').count()).toBe(1);
    // An edge is really drawn: it spans from the branch down to its target.
    const edgeBox = await diagram.locator('path.flow-edge[data-to="other"]').boundingBox();
    expect(edgeBox?.height ?? 0).toBeGreaterThan(50);
    await diagram.locator('.flow-node[data-step="unavailable"][data-kind="handoff"]').getByText('order_system_unavailable').waitFor();
    await diagram.locator('.flow-node[data-step="ask_order"] .flow-edge-row.is-fail .flow-terminal.is-handoff').waitFor();
    await page.screenshot({ path: DIAGRAM_SHOT, animations: 'disabled', fullPage: false });

    // A YAML edit that does not check: the problem is shown at its line, and Save saves nothing.
    await page.locator('.view-switch').getByRole('link', { name: 'YAML' }).click();
    await expect.poll(() => page.url(), POLL).toContain('view=yaml');
    const yaml = page.getByTestId('flow-yaml');
    const source = await yaml.inputValue();
    expect(source).toBe(orderStatus.source);
    // The call step names an action the workspace does not have.
    const bad = source.replace('action: get_order', 'action: get_ordr');
    const badLine = bad.split('\n').findIndex((l) => l.includes('get_ordr')) + 1;
    expect(badLine).toBeGreaterThan(1);
    await yaml.fill(bad);
    await page.getByTestId('flow-check').click();
    const problems = page.getByTestId('flow-problems');
    await problems.locator(`li[data-line="${badLine}"]`).getByText(`第 ${badLine} 行`).waitFor();
    await page.getByTestId('yaml-editor').locator(`.yaml-lineno.has-problem[data-line="${badLine}"]`).waitFor();
    await page.getByTestId('yaml-editor').locator(`.yaml-problem-line[data-line="${badLine}"] .yaml-problem-msg`, { hasText: 'get_ordr' }).waitFor();
    await page.screenshot({ path: YAML_SHOT, animations: 'disabled', fullPage: false });
    await page.getByTestId('flow-save').click();
    await problems.locator(`li[data-line="${badLine}"]`).waitFor();
    await page.locator('.flow-problems-head', { hasText: '未保存任何内容' }).waitFor();
    expect(await page.getByTestId('flow-version').textContent()).toBe('v1');
    const unchanged = await api<Flow>('GET', `/v1/flows/${orderStatus.id}`);
    expect(unchanged.body.version).toBe(1);
    expect(unchanged.body.source).not.toContain('get_ordr');

    // The problem list takes the caret to the line.
    await problems.locator(`li[data-line="${badLine}"] button`).click();
    const caretLine = await yaml.evaluate((el: HTMLTextAreaElement) => el.value.slice(0, el.selectionStart).split('\n').length);
    expect(caretLine).toBe(badLine);

    // Leaving with unsaved changes asks first; staying keeps the edit.
    page.once('dialog', (d) => void d.dismiss());
    await page.locator('.kb-tabs').getByRole('link', { name: '动作', exact: true }).click();
    expect(page.url()).toContain(`/app/automation/flow/${orderStatus.id}`);

    // A good edit (one more keyword) saves version 2; the diagram follows; the versions show the change.
    await page.getByRole('button', { name: '放弃修改' }).click();
    await expect.poll(() => yaml.inputValue(), POLL).toBe(orderStatus.source);
    const good = orderStatus.source.replace('where is my order]', 'where is my order, 物流到哪了]');
    expect(good).not.toBe(orderStatus.source);
    await yaml.fill(good);
    await page.getByTestId('flow-check').click();
    await page.getByTestId('flow-check-ok').getByText('order_status').waitFor();
    await page.getByTestId('flow-save').click();
    await page.getByTestId('flow-outcome').getByText('已保存为版本 2。').waitFor();
    await expect.poll(() => page.getByTestId('flow-version').textContent(), POLL).toBe('v2');
    await page.locator('.flow-head .flow-chip', { hasText: '物流到哪了' }).waitFor();
    await page.locator('.view-switch').getByRole('link', { name: '版本' }).click();
    const versions = page.getByTestId('flow-versions');
    await versions.locator('li.version[data-version="2"].is-current').waitFor();
    await versions.getByTestId('flow-diff').locator('.flow-diff-line.is-added', { hasText: '物流到哪了' }).waitFor();
    await versions.locator('li.version[data-version="1"] .version-head').click();
    await versions.getByTestId('flow-restore-1').click();
    await page.getByTestId('flow-outcome').getByText('已将版本 1 恢复为版本 3。').waitFor();
    expect((await api<Flow>('GET', `/v1/flows/${orderStatus.id}`)).body.source).toBe(orderStatus.source);

    // Export downloads the YAML as it is now.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('flow-export').click()]);
    expect(download.suggestedFilename()).toBe('order_status.yaml');
    expect(await readFile((await download.path())!, 'utf8')).toBe(orderStatus.source);

    // Turned off from the list, and on again.
    await page.getByRole('link', { name: '全部流程' }).click();
    const toggle = table.locator('tr[data-flow="order_status"]').getByTestId('flow-enabled');
    await toggle.click({ force: true });
    await expect.poll(async () => (await api<Flow>('GET', `/v1/flows/${orderStatus.id}`)).body.enabled, POLL).toBe(false);
    await table.locator('tr[data-flow="order_status"].is-off').waitFor();
    await toggle.click({ force: true });
    await expect.poll(async () => (await api<Flow>('GET', `/v1/flows/${orderStatus.id}`)).body.enabled, POLL).toBe(true);

    // A new flow from a template: checked, created, drawn; then deleted after a confirmation.
    await page.getByTestId('flow-new').click();
    await page.getByTestId('flow-templates').locator('[data-template="collect"]').click();
    await expect.poll(() => page.getByTestId('flow-yaml').inputValue(), POLL).toContain('key: new_collect');
    await page.getByTestId('flow-save').click();
    await page.getByTestId('flow-outcome').getByText('流程已创建。').waitFor();
    await page.getByTestId('flow-title').filter({ hasText: '登记信息' }).waitFor();
    await page.getByTestId('flow-diagram').locator('.flow-node[data-step="confirm"] .flow-type', { hasText: '是 / 否' }).waitFor();
    await page.getByTestId('flow-delete').click();
    await page.getByTestId('flow-delete-confirm').click();
    await page.getByText('流程“登记信息”已删除。').waitFor();
    expect(await table.locator('tr[data-flow="new_collect"]').count()).toBe(0);

    // Actions: the demo's connectors; one test call of get_order with an order number.
    await page.locator('.kb-tabs').getByRole('link', { name: '动作', exact: true }).click();
    const actions = page.getByTestId('action-table');
    for (const key of ['get_order', 'request_refund', 'change_address', 'issue_invoice']) await actions.locator(`tr[data-action="${key}"]`).waitFor();
    await actions.locator('tr[data-action="get_order"] a').click();
    await page.getByTestId('action-title').filter({ hasText: 'get_order' }).waitFor();
    expect(await page.getByTestId('action-url').inputValue()).toContain('/orders/{{args.order_no}}');
    const args = page.getByTestId('action-test-args');
    expect(await args.locator('input[data-field="key"]').first().inputValue()).toBe('order_no');
    await args.locator('input[data-field="value"]').first().fill(ORDER_NO);
    await page.getByTestId('action-test-run').click();
    const result = page.getByTestId('action-test-result');
    await result.waitFor();
    expect(await result.getAttribute('data-ok')).toBe('true');
    await result.getByTestId('action-test-status').getByText('HTTP 200').waitFor();
    await result.getByText('尝试 1 次').waitFor();
    expect(await result.getByTestId('action-test-json').textContent()).toContain(ORDER_NO);
    await page.screenshot({ path: ACTION_SHOT, animations: 'disabled', fullPage: false });

    // A mapping with a bad slot name is refused beside its row, before anything is sent.
    const mapping = page.getByTestId('action-response');
    await mapping.getByRole('button', { name: '添加映射' }).click();
    await mapping.locator('input[data-field="key"]').last().fill('Order Status');
    await mapping.locator('input[data-field="value"]').last().fill('status');
    await page.getByTestId('action-save').click();
    await mapping.locator('.kv-item.is-invalid .field-error', { hasText: '小写字母' }).waitFor();
    await mapping.locator('input[data-field="key"]').last().fill('order_state');
    await page.getByTestId('action-save').click();
    await page.getByTestId('action-outcome').getByText('已保存').waitFor();
    await page.getByTestId('action-test-run').click();
    await result.getByTestId('action-test-slots').getByText('order_state').waitFor();

    // Deleting an action a flow calls is refused, naming the problem.
    await page.getByTestId('action-delete').click();
    await page.getByTestId('action-delete-confirm').click();
    await page.locator('.notice-error[data-code="ACTION_IN_USE"]').getByText('有流程在调用这个动作').waitFor();
  });

  it('saves the bot persona and a forbidden word, shows them after a reload, in three languages', { timeout: 120_000 }, async () => {
    const nav = page.getByRole('navigation', { name: '功能区' });
    await nav.getByRole('link', { name: '机器人设置' }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/settings$/);
    await page.getByRole('heading', { name: '机器人设置', exact: true }).waitFor();
    for (const group of ['回答', '转人工与阈值', '安全护栏', '欢迎语与时区'])
      await page.locator('.settings-group .kb-card-title', { hasText: group }).first().waitFor();
    // No model in the test server: the badge says so.
    expect(await page.getByTestId('llm-status').getAttribute('data-state')).toBe('off');

    await page.getByTestId('settings-persona').fill(PERSONA);
    const words = page.getByTestId('settings-forbidden-words');
    await words.locator('input').fill(FORBIDDEN);
    await words.locator('input').press('Enter');
    await words.locator('.chip-item', { hasText: FORBIDDEN }).waitFor();
    await setRange(page, 'settings-angerThreshold', '0.8');
    await page.locator('.faq-savebar.is-dirty').waitFor();
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').getByText('已保存。').waitFor();

    const saved = await api<WorkspaceSettingsView>('GET', '/v1/settings');
    expect(saved.body.settings.assistant?.persona).toBe(PERSONA);
    expect(saved.body.settings.guardrails?.forbiddenWords).toEqual([FORBIDDEN]);
    expect(saved.body.settings.angerThreshold).toBe(0.8);
    // Only what changed was stored: the other settings still follow their defaults.
    expect(saved.body.settings.answerThreshold).toBeUndefined();
    expect(saved.body.settings.assistant?.answers).toBeUndefined();

    await page.reload();
    await expect.poll(() => page.getByTestId('settings-persona').inputValue(), POLL).toBe(PERSONA);
    await page.getByTestId('settings-forbidden-words').locator('.chip-item', { hasText: FORBIDDEN }).waitFor();
    expect(await page.getByTestId('settings-angerThreshold').inputValue()).toBe('0.8');

    // A time zone that does not exist is refused beside its field, and nothing is saved.
    await page.getByTestId('settings-timezone').fill('Mars/Olympus_Mons');
    await page.getByTestId('settings-save').click();
    await page.locator('.kb-field.is-invalid .field-error', { hasText: '不是已知的时区' }).waitFor();
    expect((await api<WorkspaceSettingsView>('GET', '/v1/settings')).body.effective.timeZone).toBe('Asia/Shanghai');
    await page.getByRole('button', { name: '放弃修改' }).click();
    await page.evaluate(() => document.getElementById('settings-main')?.scrollTo({ top: 0 }));
    await page.screenshot({ path: SETTINGS_SHOT, animations: 'disabled', fullPage: false });

    // Usage: the model's calls as the answer pipeline records them, drawn as bars per day and purpose.
    const day = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);
    const workspaceId = server.demo!.workspace.id;
    await server.deps.ctx.store.usage.add([
      { workspaceId, day: day(1), model: 'qwen-plus', purpose: 'answer', calls: 12, failures: 1, inputTokens: 18_000, outputTokens: 4_000 },
      { workspaceId, day: day(1), model: 'qwen-plus', purpose: 'rewrite', calls: 5, failures: 0, inputTokens: 2_000, outputTokens: 300 },
      { workspaceId, day: day(4), model: 'qwen-plus', purpose: 'intent', calls: 7, failures: 0, inputTokens: 3_500, outputTokens: 200 },
    ]);
    await page.locator('.kb-tabs').getByRole('link', { name: '用量', exact: true }).click();
    await page.getByTestId('usage-totals').getByTestId('usage-calls').getByText('24').waitFor();
    const chart = page.getByTestId('usage-chart');
    expect(await chart.locator('g.usage-day').count()).toBe(30);
    const answerBar = chart.locator(`g.usage-day[data-day="${day(1)}"] rect.usage-bar.is-answer`);
    const rewriteBar = chart.locator(`g.usage-day[data-day="${day(1)}"] rect.usage-bar.is-rewrite`);
    const answerHeight = Number(await answerBar.getAttribute('height'));
    expect(answerHeight).toBeGreaterThan((10 * Number(await rewriteBar.getAttribute('height'))) / 2);
    expect(await chart.locator(`g.usage-day[data-day="${day(4)}"] rect.usage-bar.is-intent`).count()).toBe(1);
    expect(await chart.locator(`g.usage-day[data-day="${day(2)}"] rect.usage-bar`).count()).toBe(0);
    await chart.locator('.usage-legend-item', { hasText: '问题改写' }).waitFor();
    await page.getByTestId('usage-table').locator('tr', { hasText: '回答' }).getByText('22,000').waitFor();
    await page.screenshot({ path: USAGE_SHOT, animations: 'disabled', fullPage: false });

    // The UI language: English, Traditional Chinese, then back to Simplified.
    await page.locator('.kb-tabs').getByRole('link', { name: '机器人', exact: true }).click();
    const switcher = page.getByTestId('language-switcher');
    await switcher.selectOption('en');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Bot settings' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Automation' }).waitFor();
    await page.locator('.settings-group .kb-card-title', { hasText: 'Hand-off and thresholds' }).waitFor();
    await page.getByText('Persona', { exact: true }).waitFor();
    await switcher.selectOption('zh-TW');
    await page.getByRole('navigation', { name: '功能區' }).getByRole('link', { name: '機器人設定' }).waitFor();
    await page.locator('.settings-group .kb-card-title', { hasText: '安全護欄' }).waitFor();
    await switcher.selectOption('zh-CN');
    await page.getByRole('navigation', { name: '功能区' }).getByRole('link', { name: '自动化' }).waitFor();
    await page.locator('.settings-group .kb-card-title', { hasText: '转人工与阈值' }).waitFor();
    await page.getByText('人设', { exact: true }).waitFor();
    await page.getByText('禁用词', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: '功能区' }).getByRole('link', { name: '自动化' }).click();
    await page.locator('.kb-nav-title', { hasText: '自动化' }).waitFor();
    await page.getByTestId('flow-table').getByRole('columnheader', { name: '触发条件' }).waitFor();
  });

  it('shows a viewer the flows read-only, and no actions or settings controls', { timeout: 90_000 }, async () => {
    const password = 'viewer-password-1';
    const r = await api('POST', '/v1/members', { email: 'auto-viewer@demo.kefu.local', name: '只读同事', role: 'viewer', password });
    expect(r.status).toBeLessThan(300);
    const viewer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const p = await viewer.newPage();
      p.setDefaultTimeout(15_000);
      await signIn(p, 'auto-viewer@demo.kefu.local', password, '/app/automation');
      const row = p.getByTestId('flow-table').locator('tr[data-flow="refund_request"]');
      await row.waitFor();
      await p.locator('.kb-nav').getByText('只读').waitFor();
      expect(await p.getByTestId('flow-new').count()).toBe(0);
      expect(await p.getByTestId('flow-enabled').count()).toBe(0);
      await row.locator('a.flow-name').click();
      await p.getByTestId('flow-diagram').locator('.flow-node[data-kind="call"]').first().waitFor();
      await p.screenshot({ path: REFUND_SHOT, animations: 'disabled', fullPage: true });
      expect(await p.getByTestId('flow-delete').count()).toBe(0);
      await p.locator('.view-switch').getByRole('link', { name: 'YAML' }).click();
      expect(await p.getByTestId('flow-yaml').getAttribute('readonly')).not.toBeNull();
      expect(await p.getByTestId('flow-check').count()).toBe(0);
      expect(await p.getByTestId('flow-save').count()).toBe(0);
      await p.locator('.kb-tabs').getByRole('link', { name: '动作', exact: true }).click();
      await p.getByTestId('actions-admin-only').waitFor();
      await p.getByRole('navigation', { name: '功能区' }).getByRole('link', { name: '机器人设置' }).click();
      await expect.poll(() => p.getByTestId('settings-persona').inputValue(), POLL).toBe(PERSONA);
      expect(await p.getByTestId('settings-persona').isDisabled()).toBe(true);
      expect(await p.getByTestId('settings-save').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });
});
