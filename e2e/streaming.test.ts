import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenAIStub, startOpenAIStub } from '../apps/server/src/test-support/openai-stub.js';
import { startTestServer, type TestServer } from '../apps/server/src/test-support/test-server.js';
import { demoAdminToken, ensureBuilt, launchChromium } from './support/browser.js';

// A generated answer in the demo chat page, in real Chromium: the bubble shows the answer growing
// while the model writes it, then the stored message with its sources; an answer taken back for
// breaking an output rule is replaced in place.
let stub: OpenAIStub;
let server: TestServer;
let browser: Browser;
let page: Page;

// The demo page embeds the real widget: the chat lives in its frame.
const chat = () => page.frameLocator('iframe[src*="/widget/frame.html"]');
const bot = () => chat().locator('[data-testid="message"][data-author="bot"]');
const eventually = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 15_000, interval: 25 });

beforeAll(async () => {
  ensureBuilt('@kefu/protocol', '@kefu/widget');
  stub = await startOpenAIStub();
  server = await startTestServer({ listen: true, env: { LLM_BASE_URL: stub.baseURL, LLM_MODEL: 'stub-chat', LLM_TIMEOUT_MS: '2000' } });
  const token = await demoAdminToken(server);
  const r = await fetch(`${server.url}/v1/settings`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ assistant: { answers: 'always' }, guardrails: { forbiddenWords: ['垃圾'] } }),
  });
  expect(r.status).toBe(200);
  browser = await launchChromium();
  page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 860 } })).newPage();
}, 360_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await stub?.close();
});

async function ask(text: string) {
  await chat().getByRole('textbox').fill(text);
  await chat().getByRole('textbox').press('Enter');
}

describe('streamed answers in the chat page', () => {
  it('grows the answer as it is written, then shows the stored answer with its source', async () => {
    stub.chatScript = (body) =>
      body.stream === true ? { text: ['订单满99元', '即可免运费，', '不满99元收取8元运费[1]。'], chunkDelayMs: 400 } : { text: 'ok' };
    await page.goto(`${server.url}/demo`);
    await eventually(() => bot().first().textContent()).toContain('欢迎');
    await ask('满多少包邮？');
    const answer = bot().nth(1);
    // Part of the answer, still being written.
    await eventually(() => answer.getAttribute('data-state')).toBe('streaming');
    expect(await answer.textContent()).toContain('订单满99元');
    expect(await answer.textContent()).not.toContain('8元运费');
    // The whole answer, stored, with its source.
    await eventually(() => answer.getAttribute('data-state')).toBe('sent');
    expect(await answer.textContent()).toContain('订单满99元即可免运费，不满99元收取8元运费[1]。');
    await eventually(() => answer.getByTestId('sources').textContent()).toMatch(/包邮|运费/);
    expect(await bot().count()).toBe(2);
  }, 60_000);

  it('replaces an answer that breaks an output rule', async () => {
    stub.chatScript = (body) => (body.stream === true ? { text: ['这家快递', '一直很好。', '这家快递很垃圾。'], chunkDelayMs: 300 } : { text: 'ok' });
    await ask('用的是哪家快递？');
    const answer = bot().nth(2);
    await eventually(() => answer.getAttribute('data-state')).toBe('sent');
    expect(await answer.textContent()).not.toContain('垃圾');
    expect(await answer.textContent()).not.toContain('一直很好');
    expect(await bot().count()).toBe(3);
  }, 60_000);
});
