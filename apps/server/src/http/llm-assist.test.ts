import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { type OpenAIStub, startOpenAIStub } from '../test-support/openai-stub.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// A turn with LLM_* pointing at a local server speaking the OpenAI chat protocol: when the offline
// intent model is unsure, the language model's vote decides, and the trace shows it.
let stub: OpenAIStub;
let s: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  stub = await startOpenAIStub();
  s = await startTestServer({ env: { LLM_BASE_URL: stub.baseURL, LLM_MODEL: 'stub-chat', LLM_TIMEOUT_MS: '500' } });
  admin = await loginDemo(s);
  const run = (await s.app.inject({ method: 'POST', url: '/v1/intents/train', headers: admin })).json();
  await vi.waitFor(async () => expect((await s.app.inject({ url: `/v1/intents/models/${run.id}`, headers: admin })).json().status).toBe('ready'), {
    timeout: 20_000,
  });
});
afterAll(async () => {
  await s.close();
  await stub.close();
});

async function lastTrace(conversationId: string) {
  return (await s.app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: admin })).json().items.at(-1).metadata.trace;
}

describe('LLM-assisted intents in a turn', () => {
  it('hands off when the language model recognises a hand-off intent the offline model was unsure of', async () => {
    stub.chatReply = () => '{"intent":"human_agent","confidence":0.99}';
    const v = await startVisitor(s);
    await say(s, v, 'zzq blorp frobnicate');
    const trace = await lastTrace(v.id);
    const assist = trace.stages.find((x: { stage: string }) => x.stage === 'assist-intent');
    expect(assist.output).toMatchObject({ status: 'used', vote: { intent: 'human_agent' }, intent: { name: 'human_agent' } });
    expect((await s.app.inject({ url: `/v1/conversations/${v.id}`, headers: admin })).json()).toMatchObject({ status: 'queued', handoffReason: 'intent' });
  });

  it('answers without it when the language model returns garbage, and says so', async () => {
    stub.chatReply = () => 'As an AI language model, I cannot';
    const v = await startVisitor(s);
    const r = await say(s, v, 'zzq blorp frobnicate again');
    expect(r.statusCode).toBe(200);
    expect(r.json().replies).toHaveLength(1);
    const assist = (await lastTrace(v.id)).stages.find((x: { stage: string }) => x.stage === 'assist-intent');
    expect(assist.output).toMatchObject({ status: 'failed', reason: 'garbage' });
  });
});
