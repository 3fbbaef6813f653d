import type { FaqEntry, FaqSaveResponse } from '@kefu/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../apps/server/src/test-support/test-server.js';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * The knowledge pages of the console in real Chromium against a real server: an admin writes an FAQ
 * entry, edits it, reads and restores its history, meets a version conflict, tests retrieval, adds a
 * synonym that makes a query find the entry, adds dictionary words and switches the UI language; a
 * viewer then sees the same pages without a single edit control.
 */

const EDITOR_SHOT = '/tmp/kb-editor.png';
const TEST_SHOT = '/tmp/kb-test.png';
const POLL = { timeout: 10_000, interval: 50 };

const QUESTION = 'GX199 扫地机的尘盒怎么清理？';
const SIMILAR = ['GX199 尘盒满了怎么办', '扫地机怎么倒灰'];
const ANSWER_V1 = '按下**尘盒按钮**取出尘盒：\n- 倒掉灰尘\n- 用清水冲洗滤网\n\n晾干后再装回。';
const ANSWER_V2 = '按下**尘盒按钮**取出尘盒：\n- 倒掉灰尘\n- 用清水冲洗滤网和边刷\n\n完全晾干后再装回。';

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

/** The API as another admin would use it at the same time, with its own session. */
async function adminApi() {
  const token = await demoAdminToken(server);
  return async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const r = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: (await r.json().catch(() => null)) as T };
  };
}

async function signIn(p: Page, email: string, password: string) {
  await p.goto(`${server.url}/app/knowledge`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

const entryIdFromUrl = (url: string) => /\/app\/knowledge\/faq\/([^/?#]+)/.exec(url)?.[1] ?? null;

describe('knowledge console', () => {
  it('writes, edits, restores and tests an FAQ entry, with synonyms, dictionary and three languages', { timeout: 180_000 }, async () => {
    const api = await adminApi();
    await signIn(page, server.demo!.adminEmail, server.demo!.adminPassword!);

    // Header navigation: Inbox | Knowledge.
    await page.getByRole('navigation', { name: '功能区' }).getByRole('link', { name: '知识库' }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/knowledge$/);
    await page.getByTestId('faq-list').locator('.faq-row').first().waitFor();
    for (const tab of ['问答', '检索测试', '同义词', '词典']) await page.locator('.kb-tabs').getByRole('link', { name: tab, exact: true }).waitFor();

    // A new entry: question, two similar questions (Enter adds), Markdown answer with its preview, a tag.
    await page.getByRole('link', { name: '新建条目' }).click();
    await page.getByTestId('faq-question').fill(QUESTION);
    const addSimilar = page.getByTestId('faq-similar-add');
    for (const s of SIMILAR) {
      await addSimilar.fill(s);
      await addSimilar.press('Enter');
    }
    await expect
      .poll(
        () =>
          page
            .getByTestId('faq-similar-list')
            .locator('input')
            .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
        POLL,
      )
      .toEqual(SIMILAR);
    await page.getByTestId('faq-answer').fill(ANSWER_V1);
    const preview = page.getByTestId('faq-preview');
    await preview.locator('strong', { hasText: '尘盒按钮' }).waitFor();
    expect(await preview.locator('li').allTextContents()).toEqual(['倒掉灰尘', '用清水冲洗滤网']);
    const tagInput = page.getByTestId('faq-tags').locator('input');
    await tagInput.fill('扫地机');
    await tagInput.press('Enter');
    await page.getByTestId('faq-tags').locator('.chip-item', { hasText: '扫地机' }).waitFor();
    await page.getByTestId('faq-save').click();

    await page.getByTestId('faq-outcome').filter({ hasText: '条目已创建' }).waitFor();
    await expect.poll(() => entryIdFromUrl(page.url()), POLL).not.toBeNull();
    const id = entryIdFromUrl(page.url())!;
    const created = (await api<FaqEntry>('GET', `/v1/knowledge/faqs/${id}`)).body;
    expect(created).toMatchObject({
      question: QUESTION,
      similar: SIMILAR,
      answer: ANSWER_V1,
      tags: ['扫地机'],
      status: 'published',
      audience: 'public',
      version: 1,
    });

    // The list shows it, found by the search box, with its badges, tag and version.
    await page.getByRole('link', { name: '全部条目' }).click();
    await page.getByTestId('faq-search').fill('GX199');
    await expect.poll(() => page.url(), POLL).toContain('q=GX199');
    const row = page.locator(`.faq-row[data-faq-id="${id}"]`);
    await row.waitFor();
    await row.locator('.tag-chip', { hasText: '扫地机' }).waitFor();
    await row.getByText('已发布').waitFor();
    await row.getByText('公开').waitFor();
    await row.getByText('v1').waitFor();
    await row.getByText('+2 个相似问法').waitFor();
    expect(await page.locator('.faq-row').count()).toBe(1);

    // Edit the answer: version 2, and the history shows two versions with a text diff.
    await row.click();
    await page.getByTestId('faq-title').filter({ hasText: QUESTION }).waitFor();
    await page.getByTestId('faq-answer').fill(ANSWER_V2);
    await page.locator('.faq-savebar').getByText('有未保存的修改').waitFor();
    await page.getByTestId('faq-save').click();
    await page.getByTestId('faq-outcome').filter({ hasText: '已保存为版本 2' }).waitFor();
    const history = page.getByTestId('faq-history');
    await expect.poll(() => history.locator('.version').count(), POLL).toBe(2);
    const v2 = history.locator('.version[data-version="2"]');
    await v2.getByText('编辑').waitFor();
    const answerDiff = v2.locator('.diff-row[data-field="answer"]');
    await answerDiff.locator('ins.diff-added', { hasText: '和边刷' }).waitFor();
    await answerDiff.locator('ins.diff-added', { hasText: '完全' }).waitFor();
    expect(await v2.locator('.diff-row').count()).toBe(1); // only the answer changed
    const insColor = await answerDiff
      .locator('ins.diff-added')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(insColor).toBe('rgb(217, 246, 228)'); // green for added text

    // Restore version 1: a new version 3 with the old answer.
    const v1 = history.locator('.version[data-version="1"]');
    await v1.locator('.version-head').click();
    await v1.locator('.diff-row[data-field="similar"] ins', { hasText: SIMILAR[0]! }).waitFor();
    await page.getByTestId('restore-1').click();
    await page.getByTestId('faq-outcome').filter({ hasText: '已将版本 1 恢复为版本 3' }).waitFor();
    await expect.poll(() => page.getByTestId('faq-answer').inputValue(), POLL).toBe(ANSWER_V1);
    await page.getByTestId('faq-version').filter({ hasText: 'v3' }).waitFor();
    const v3 = history.locator('.version[data-version="3"]');
    await v3.getByText('恢复').first().waitFor();
    await v3.locator('del.diff-removed', { hasText: '和边刷' }).waitFor();
    expect(await page.getByTestId('restore-3').count()).toBe(0); // the current version has nothing to restore
    // The picture: the restored entry with its history, the restore (red) and the edit before it (green) open.
    await v2.locator('.version-head').click();
    await v2.locator('ins.diff-added', { hasText: '和边刷' }).waitFor();
    await page.locator('#kb-main').evaluate((el) => el.scrollTo({ top: 0 }));
    await page.screenshot({ path: EDITOR_SHOT, animations: 'disabled' });

    // Someone else saves meanwhile: this editor's save answers 409, explained, with a reload.
    const theirs = await api<FaqSaveResponse>('PATCH', `/v1/knowledge/faqs/${id}`, {
      ...contentOf(created),
      answer: `${ANSWER_V1}\n\n（另一位管理员修改）`,
      version: 3,
    });
    expect(theirs.status).toBe(200);
    await page.getByTestId('faq-answer').fill(`${ANSWER_V1}\n\n我的修改`);
    await page.getByTestId('faq-save').click();
    const conflict = page.locator('[data-code="FAQ_VERSION_CONFLICT"]');
    await conflict.getByText('在您编辑期间，其他人保存了这个条目。').waitFor();
    await page.getByTestId('faq-reload').click();
    await expect.poll(() => page.getByTestId('faq-answer').inputValue(), POLL).toContain('另一位管理员修改');
    await page.getByTestId('faq-version').filter({ hasText: 'v4' }).waitFor();
    await conflict.waitFor({ state: 'detached' });

    // A server field error appears next to its field: an external ID another entry already has.
    const externalId = page.getByLabel('外部编号');
    await externalId.fill('zh-orders-001');
    await page.getByTestId('faq-save').click();
    await page.locator('[role="alert"][data-code="FAQ_EXTERNAL_ID_TAKEN"]').waitFor();
    const fieldError = page.locator('.kb-field.is-invalid', { has: externalId }).locator('.field-error');
    await fieldError.filter({ hasText: '另一个条目已使用这个外部编号' }).waitFor();
    expect(await externalId.getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('button', { name: '放弃修改' }).click();
    await expect.poll(() => externalId.inputValue(), POLL).toBe('');

    // The same question again: saved, with a duplicate warning that links to the first entry; then archived.
    await page.getByRole('link', { name: '全部条目' }).click();
    await page.getByRole('link', { name: '新建条目' }).click();
    await page.getByTestId('faq-question').fill(QUESTION);
    await page.getByTestId('faq-answer').fill('重复的条目');
    await page.getByTestId('faq-save').click();
    const warning = page.getByTestId('faq-warnings').locator('[data-code="FAQ_DUPLICATE_QUESTION"]');
    await warning.getByText('另一个已发布的条目有相同的问题。').waitFor();
    expect(await warning.getByRole('link', { name: '打开查看' }).getAttribute('href')).toBe(`/app/knowledge/faq/${id}`);
    await page.getByTestId('faq-archive').click();
    await page.getByTestId('faq-archive-confirm').click();
    await page.locator('.faq-screen-meta').getByText('已归档').waitFor();
    await page.getByTestId('faq-outcome').filter({ hasText: '机器人不再使用这个条目' }).waitFor();

    // Test retrieval with a Chinese query: the entry ranks first, with lane-coloured chips and a verdict.
    await page.locator('.kb-tabs').getByRole('link', { name: '检索测试' }).click();
    await page.getByTestId('test-query').fill('扫地机尘盒怎么清理');
    await page.getByTestId('test-run').click();
    const results = page.getByTestId('test-results');
    await results.waitFor();
    const top = results.locator('.hit').first();
    await expect.poll(() => top.getAttribute('data-hit-id'), POLL).toBe(id);
    await top.locator('.term.lane-word', { hasText: '尘盒' }).waitFor();
    await top.locator('.term.lane-bigram').first().waitFor();
    await page.getByTestId('test-verdict').getByText('机器人会直接回答').waitFor();
    await page.getByTestId('lane-legend').getByText('双字').waitFor();
    await page.getByTestId('test-query-terms').locator('.term[data-term="尘盒"]').first().waitFor();
    await expect.poll(() => page.getByTestId('test-took').textContent(), POLL).toMatch(/毫秒/);
    // Without an embeddings endpoint the verdict says BM25 ran and vectors are off.
    await expect.poll(() => page.getByTestId('test-lanes').textContent(), POLL).toMatch(/BM25 关键词.*向量 · 未启用/);
    await page.screenshot({ path: TEST_SHOT, animations: 'disabled' });

    // A code from the examples goes through the exact lane and finds the entry too.
    await page.locator('.example-chip', { hasText: 'GX199' }).click();
    await expect.poll(() => page.url(), POLL).toContain('q=GX199');
    await expect.poll(() => results.locator('.hit').first().getAttribute('data-hit-id'), POLL).toBe(id);

    // A word only a synonym links to the entry: not found before, found right after adding the group.
    await page.getByTestId('test-query').fill('垃圾仓');
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-query-terms').locator('.term[data-term="垃圾"]').first().waitFor();
    await page.getByTestId('test-verdict').getByText('机器人会转接人工').waitFor();
    expect(await results.locator(`.hit[data-hit-id="${id}"]`).count()).toBe(0);
    await page.locator('.kb-tabs').getByRole('link', { name: '同义词' }).click();
    const termInput = page.getByTestId('synonym-add-input').locator('input');
    await termInput.fill('尘盒');
    await termInput.press('Enter');
    await termInput.fill('垃圾仓');
    await page.getByTestId('synonym-add-submit').click();
    const hint = page.getByTestId('applied-hint');
    await hint.getByText('下一次检索立即生效。').waitFor();
    await page.getByTestId('synonym-groups').locator('.synonym-chip', { hasText: '垃圾仓' }).waitFor();
    await hint.getByRole('link', { name: '测试“垃圾仓”' }).click();
    await expect.poll(() => results.locator('.hit').first().getAttribute('data-hit-id'), POLL).toBe(id);
    await results.locator('.hit').first().locator('.term', { hasText: '尘盒' }).waitFor();
    await page.getByTestId('test-query-terms').locator('.term.in-group[data-term="尘盒"]').waitFor();

    // Dictionary: several words at once, one per line and comma-separated.
    await page.locator('.kb-tabs').getByRole('link', { name: '词典' }).click();
    await page.getByTestId('dictionary-input').fill('GX199\n扫地机, 上海交通大学');
    await page.getByTestId('dictionary-add').click();
    await page.getByTestId('applied-hint').getByText('新增 3 个，0 个已在词典中。').waitFor();
    for (const w of ['GX199', '扫地机', '上海交通大学']) await page.getByTestId('dictionary-words').getByText(w, { exact: true }).waitFor();
    const words = (await api<{ items: { word: string }[] }>('GET', '/v1/knowledge/dictionary')).body.items.map((w) => w.word);
    expect(words.sort()).toEqual(['GX199', '上海交通大学', '扫地机'].sort());

    // The UI language: English, then Traditional Chinese.
    const switcher = page.getByTestId('language-switcher');
    await switcher.selectOption('en');
    await page.getByRole('heading', { name: 'Dictionary' }).waitFor();
    await page.locator('.kb-tabs').getByRole('link', { name: 'Test retrieval' }).waitFor();
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Knowledge' }).waitFor();
    await switcher.selectOption('zh-TW');
    await page.locator('.kb-tabs').getByRole('link', { name: '檢索測試' }).click();
    await page.getByRole('heading', { name: '檢索測試' }).waitFor();
    await page.getByTestId('test-query').fill('掃地機塵盒怎麼清理');
    await page.getByTestId('test-run').click();
    await page.getByTestId('test-verdict').getByText('機器人會直接回答').waitFor();
    await expect.poll(() => results.locator('.hit').first().getAttribute('data-hit-id'), POLL).toBe(id);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-TW');
    await switcher.selectOption('zh-CN');
  });

  it('shows a viewer everything, read-only', { timeout: 90_000 }, async () => {
    const api = await adminApi();
    const password = 'viewer-password-1';
    const member = await api('POST', '/v1/members', { email: 'viewer@demo.kefu.local', name: '只读同事', role: 'viewer', password });
    expect(member.status).toBe(201);
    const entry = (
      await api<FaqSaveResponse>('POST', '/v1/knowledge/faqs', { question: '只读测试问题？', similar: ['只读问法'], answer: '**答案**正文', tags: ['测试'] })
    ).body.entry;
    await api('PATCH', `/v1/knowledge/faqs/${entry.id}`, { ...contentOf(entry), answer: '**答案**新正文', version: 1 });

    const viewer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const p = await viewer.newPage();
      p.setDefaultTimeout(15_000);
      await signIn(p, 'viewer@demo.kefu.local', password);
      await p.getByTestId('faq-list').locator('.faq-row').first().waitFor();
      await p.locator('.kb-nav').getByText('只读').waitFor();
      expect(await p.getByTestId('faq-new').count()).toBe(0);

      await p.goto(`${server.url}/app/knowledge/faq/${entry.id}`);
      const read = p.getByTestId('faq-read');
      await read.getByText('只读测试问题？').waitFor();
      await read.locator('strong', { hasText: '答案' }).waitFor();
      expect(await p.getByTestId('faq-form').count()).toBe(0);
      expect(await p.getByTestId('faq-save').count()).toBe(0);
      expect(await p.getByTestId('faq-archive').count()).toBe(0);
      const history = p.getByTestId('faq-history');
      await history.locator('.version[data-version="1"] .version-head').click();
      await history.locator('.version[data-version="1"] .diff-row').first().waitFor();
      expect(await history.locator('[data-testid^="restore-"]').count()).toBe(0);

      await p.locator('.kb-tabs').getByRole('link', { name: '同义词' }).click();
      await p.getByRole('heading', { name: '同义词', exact: true }).waitFor();
      expect(await p.getByTestId('synonym-add').count()).toBe(0);
      expect(await p.getByRole('button', { name: '编辑' }).count()).toBe(0);
      expect(await p.getByRole('button', { name: '删除' }).count()).toBe(0);

      await p.locator('.kb-tabs').getByRole('link', { name: '词典' }).click();
      await p.getByRole('heading', { name: '词典', exact: true }).waitFor();
      expect(await p.getByTestId('dictionary-input').count()).toBe(0);
      expect(await p.locator('.dictionary-word button').count()).toBe(0);

      // Reading is allowed, and so is testing retrieval.
      await p.locator('.kb-tabs').getByRole('link', { name: '检索测试' }).click();
      await p.getByTestId('test-query').fill('只读测试问题');
      await p.getByTestId('test-run').click();
      await p.getByTestId('test-verdict').waitFor();
    } finally {
      await viewer.close();
    }
  });
});

/** The editable content of an entry, for a full PATCH (see the console's faq-form). */
function contentOf(e: FaqEntry) {
  const { id: _i, version: _v, updatedBy: _u, createdAt: _c, updatedAt: _a, quality: _q, ...content } = e as FaqEntry & { quality?: unknown };
  return content;
}
