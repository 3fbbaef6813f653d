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

  it('refines an uncertain mood with the language model: sarcasm read as anger hands off, and the stored sentiment says so', async () => {
    stub.chatReply = (body) =>
      JSON.stringify(body.messages).includes('rate the mood')
        ? '{"polarity": -0.9, "anger": 0.95, "dissatisfaction": 0.9, "regulatorThreat": false}'
        : '{"intent":"none","confidence":0.9}';
    const v = await startVisitor(s);
    await say(s, v, '真是太好了，又是三天没人回复');
    const trace = await lastTrace(v.id);
    const refine = trace.stages.find((x: { stage: string }) => x.stage === 'refine-sentiment');
    expect(refine.output).toMatchObject({ status: 'used', label: 'negative' });
    expect(trace.stages.map((x: { stage: string }) => x.stage).slice(2, 5)).toEqual(['understand', 'assist-intent', 'refine-sentiment']);
    expect(trace.decision).toMatchObject({ kind: 'handoff', reason: 'negative_sentiment' });
    const items = (await s.app.inject({ url: `/v1/conversations/${v.id}/messages`, headers: admin })).json().items;
    expect(items.find((m: { author: { type: string } }) => m.author.type === 'contact').metadata.sentiment).toMatchObject({ label: 'negative' });
  });

  it('keeps the offline mood when the language model is down', async () => {
    stub.mode = 'error';
    try {
      const v = await startVisitor(s);
      const r = await say(s, v, '真是太好了，又是三天没人回复');
      expect(r.json().replies).toHaveLength(1);
      const refine = (await lastTrace(v.id)).stages.find((x: { stage: string }) => x.stage === 'refine-sentiment');
      // The adapter retries a 500 inside the time budget, so the stage reports an error or the timeout.
      expect(refine.output).toMatchObject({ status: 'failed', label: 'positive' });
      expect(['error', 'timeout']).toContain(refine.output.reason);
    } finally {
      stub.mode = 'ok';
    }
  });
});
