import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../apps/server/src/test-support/test-server.js';
import { type ConsoleHarness, demoAdminToken, openConsoleHarness } from './support/browser.js';

/**
 * The knowledge import page in real Chromium against a real server: an admin uploads a Markdown file
 * and a broken PDF, watches the job finish, reads the summary and the translated per-file error, finds
 * the document in the table, then opens the review tab.
 */

const SHOT = '/tmp/kb-import.png';
const POLL = { timeout: 15_000, interval: 50 };

const MARKDOWN = '# GX199 保修政策\n\n## 保修期\n\nGX199 扫地机整机保修两年，电池保修一年。\n\n## 如何申请\n\n联系客服并提供订单号。\n';

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

/** Creates a viewer through the API, signed in as the demo admin. */
async function createViewer(email: string, password: string) {
  const token = await demoAdminToken(server);
  const r = await fetch(`${server.url}/v1/members`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, name: '只读同事', role: 'viewer', password }),
  });
  expect(r.status).toBeLessThan(300);
}

async function signIn(p: Page, email: string, password: string, path = '/app/knowledge') {
  await p.goto(`${server.url}${path}`);
  await p.getByLabel('邮箱').fill(email);
  await p.getByLabel('密码').fill(password);
  await p.getByRole('button', { name: '登录' }).click();
}

describe('knowledge import console', () => {
  it('imports a Markdown file and reports a broken PDF, then lists the document and opens review', { timeout: 120_000 }, async () => {
    await signIn(page, server.demo!.adminEmail, server.demo!.adminPassword!);
    await page.locator('.kb-tabs').getByRole('link', { name: '导入', exact: true }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/knowledge\/import$/);
    await page.getByRole('heading', { name: '导入文档', exact: true }).waitFor();
    await page.getByText('每个文件不超过 20 MB').waitFor();

    await page.getByTestId('import-input').setInputFiles([
      { name: 'gx199-warranty.md', mimeType: 'text/markdown', buffer: Buffer.from(MARKDOWN, 'utf8') },
      { name: 'broken.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 garbage', 'latin1') },
    ]);
    expect(await page.getByTestId('import-files').locator('li').allTextContents()).toEqual(['gx199-warranty.md', 'broken.pdf']);
    await page.getByTestId('import-start').click();

    // The progress bar reaches done (frames or polling), with processed = total.
    const progress = page.getByTestId('import-progress');
    await expect.poll(() => progress.getAttribute('data-status'), POLL).toBe('done');
    expect(await progress.getAttribute('aria-valuenow')).toBe('2');
    expect(await progress.getAttribute('aria-valuemax')).toBe('2');

    const summary = page.getByTestId('import-summary');
    expect(await summary.locator('[data-key="created"] dd').textContent()).toBe('1');
    expect(await summary.locator('[data-key="failed"] dd').textContent()).toBe('1');
    const errors = page.getByTestId('import-errors').locator('li');
    expect(await errors.count()).toBe(1);
    expect(await errors.first().getAttribute('data-code')).toBe('PDF_CORRUPT');
    await errors.first().getByText('broken.pdf').waitFor();
    await errors.first().getByText('PDF 文件已损坏，或者并不是 PDF。').waitFor();

    // The documents table refreshed after the import.
    const table = page.getByTestId('documents-table');
    await table.locator('tbody tr', { hasText: 'gx199-warranty.md' }).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(1);
    await page.getByTestId('import-job').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SHOT, fullPage: true });

    // Review: either the empty state or flagged entries with links to the editor.
    await page.locator('.kb-tabs').getByRole('link', { name: '待审查', exact: true }).click();
    await expect.poll(() => page.url(), POLL).toMatch(/\/app\/knowledge\/review$/);
    await page.getByRole('heading', { name: '待审查', exact: true }).waitFor();
    await page.locator('[data-testid="review-empty"], [data-testid="review-list"]').first().waitFor();
    if ((await page.getByTestId('review-list').count()) > 0) {
      const href = await page.getByTestId('review-list').locator('a.review-question').first().getAttribute('href');
      expect(href).toMatch(/\/app\/knowledge\/faq\/[^/]+$/);
    } else {
      await page.getByText('目前没有需要审查的条目。').waitFor();
    }

    // A viewer sees the page and the documents without the upload or delete controls.
    const viewer = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } });
    try {
      const p = await viewer.newPage();
      p.setDefaultTimeout(15_000);
      await createViewer('viewer@demo.kefu.local', 'viewer-password-1');
      await signIn(p, 'viewer@demo.kefu.local', 'viewer-password-1', '/app/knowledge/import');
      await p.getByTestId('documents-table').locator('tbody tr', { hasText: 'gx199-warranty.md' }).waitFor();
      expect(await p.getByTestId('import-input').count()).toBe(0);
      expect(await p.getByTestId('documents-table').getByRole('button').count()).toBe(0);
    } finally {
      await viewer.close();
    }
  });
});
