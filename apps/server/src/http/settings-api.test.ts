import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, loginDemo, loginOtherWorkspace, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// Workspace bot settings: read with defaults, changed by admins only, validated field by field, and
// in force for the very next customer message.
let s: TestServer;
let admin: { authorization: string };

beforeAll(async () => {
  s = await startTestServer();
  admin = await loginDemo(s);
});
afterAll(async () => {
  await s.close();
});

/** The fields a problem names: its own and those of its `errors`. */
const fieldsOf = (problem: { field?: string; errors?: { field: string }[] }) => [problem.field ?? '', ...(problem.errors ?? []).map((e) => e.field)];

const patch = (payload: unknown, headers = admin) => s.app.inject({ method: 'PATCH', url: '/v1/settings', headers, payload: payload as object });

describe('settings API', () => {
  it('shows what was set, every default, and that no language model is configured', async () => {
    const r = await s.app.inject({ url: '/v1/settings', headers: admin });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.settings.greeting['zh-CN']).toContain('云朵商城');
    expect(body.effective).toMatchObject({
      answerThreshold: 0.35,
      intentThreshold: 0.7,
      fallbackStreakHandoff: 2,
      clarify: true,
      timeZone: 'Asia/Shanghai',
      assistant: { answers: 'auto', tools: true },
      guardrails: { redactPii: true, forbidPromises: true, forbiddenWords: [] },
    });
    expect(body.llm).toEqual({ configured: false, model: null, circuit: null });
  });

  it('merges assistant and guardrail settings key by key, and null restores a default', async () => {
    expect((await patch({ assistant: { persona: '小云' } })).statusCode).toBe(200);
    const r = await patch({ assistant: { instructions: '用敬语' }, answerThreshold: 0.5 });
    expect(r.json().settings.assistant).toEqual({ persona: '小云', instructions: '用敬语' });
    expect(r.json().effective.answerThreshold).toBe(0.5);
    const reset = (await patch({ answerThreshold: null, assistant: null })).json();
    expect(reset.settings.assistant).toBeUndefined();
    expect(reset.effective.answerThreshold).toBe(0.35);
  });

  it('a changed threshold applies to the next customer message', async () => {
    const v = await startVisitor(s);
    expect((await say(s, v, '满多少包邮？')).json().replies[0].metadata.kind).toBe('answer');
    await patch({ answerThreshold: 1 });
    try {
      expect((await say(s, v, '满多少包邮？')).json().replies[0].metadata.kind).not.toBe('answer');
    } finally {
      await patch({ answerThreshold: null });
    }
  });

  it.each([
    [{ answerThreshold: 2 }, 'body.answerThreshold'],
    [{ fallbackStreakHandoff: 2.5 }, 'body.fallbackStreakHandoff'],
    [{ timeZone: 'Mars/Olympus' }, 'body.timeZone'],
    [{ assistant: { answers: 'sometimes' } }, 'body.assistant.answers'],
    [{ assistant: { persona: 'x'.repeat(2001) } }, 'body.assistant.persona'],
    [{ guardrails: { forbiddenWords: [''] } }, 'body.guardrails.forbiddenWords.0'],
    [{ guardrails: { refundLimit: { maxAmount: -1 } } }, 'body.guardrails.refundLimit.maxAmount'],
    [{ greeting: { fr: 'Bonjour' } }, 'body.greeting'],
    [{ colour: 'blue' }, 'body'],
    [{ assistant: { persona: 'bad \ud800 text' } }, 'body.assistant.persona'],
    [{ entities: { orderPatterns: [{ name: 'order', pattern: '(unclosed' }] } }, 'body.entities.orderPatterns.0.pattern'],
  ])('refuses %j with 400 naming %s, and stores nothing', async (payload, field) => {
    const before = (await s.app.inject({ url: '/v1/settings', headers: admin })).json().settings;
    const r = await patch(payload);
    expect(r.statusCode).toBe(400);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(fieldsOf(r.json()).some((f) => f.startsWith(field))).toBe(true);
    expect((await s.app.inject({ url: '/v1/settings', headers: admin })).json().settings).toEqual(before);
  });

  it('lets members read but only admins change, and each workspace sees its own', async () => {
    const agent = (await addMember(s, admin, 'agent', 'agent@demo.test')).headers;
    expect((await s.app.inject({ url: '/v1/settings', headers: agent })).statusCode).toBe(200);
    expect((await patch({ clarify: false }, agent)).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/v1/settings' })).statusCode).toBe(401);

    await patch({ assistant: { persona: '只属于 demo' } });
    const other = await loginOtherWorkspace(s, 'settings-other');
    expect((await s.app.inject({ url: '/v1/settings', headers: other })).json().settings.assistant).toBeUndefined();
    await patch({ assistant: null });
  });

  it('reports usage for a date range, and refuses a range that makes no sense', async () => {
    const ok = await s.app.inject({ url: '/v1/usage?from=2026-11-01&to=2026-11-21', headers: admin });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ from: '2026-11-01', to: '2026-11-21', currency: 'USD', totals: { calls: 0, cost: 0 } });
    for (const q of ['from=2026-11-21&to=2026-11-01', 'from=yesterday', 'from=2020-01-01&to=2026-01-01']) {
      const r = await s.app.inject({ url: `/v1/usage?${q}`, headers: admin });
      expect(r.statusCode).toBe(400);
      expect(fieldsOf(r.json()).some((f) => f.startsWith('query'))).toBe(true);
    }
  });
});
