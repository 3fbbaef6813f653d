import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginDemo, say, startVisitor } from '../test-support/http-helpers.js';
import { startTestServer, type TestServer } from '../test-support/test-server.js';

// A flow calling a business system that misbehaves: every failure takes the flow's error branch
// (here a hand-off with a note for the agent), and the customer always gets a reply.
let s: TestServer;
let admin: { authorization: string };
let backend: Server;
let backendUrl = '';
beforeAll(async () => {
  backend = createServer((req, res) => {
    const mode = req.url?.split('/')[2];
    if (mode === 'hang') return; // never answers
    if (mode === '500') return void res.writeHead(500).end('{"error":"boom"}');
    if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status": "shipped", oops');
    if (mode === 'huge') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"pad":"');
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 8 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 8 * 1024 * 1024) res.once('drain', pump);
        else res.end('"}');
      };
      pump();
      res.on('error', () => {});
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const a = backend.address();
  backendUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  s = await startTestServer();
  admin = await loginDemo(s);
  const action = await s.app.inject({
    method: 'POST',
    url: '/v1/actions',
    headers: admin,
    payload: { key: 'flaky', kind: 'http', config: { method: 'GET', url: `${backendUrl}/m/{{args.mode}}`, timeoutMs: 400, retries: 1 } },
  });
  expect(action.statusCode).toBe(201);
  const flow = await s.app.inject({
    method: 'POST',
    url: '/v1/flows',
    headers: admin,
    payload: {
      source: `key: flaky_check
name: Flaky check
triggers: { keywords: [检查系统] }
steps:
  - ask: { slot: mode, type: choice, prompt: 哪种？, choices: [{ value: hang, label: 挂起 }, { value: "500", label: 出错 }, { value: garbage, label: 乱码 }, { value: huge, label: 超大 }, { value: ok, label: 正常 }] }
  - call: { action: flaky, with: { mode: "{{slots.mode}}" }, save: result, onError: failed }
  - end: 系统正常
  - id: failed
    handoff: { reason: backend_failed, note: "失败：{{slots.last_error}}" }
`,
    },
  });
  expect(flow.statusCode).toBe(201);
});
afterAll(async () => {
  backend.closeAllConnections();
  await new Promise((r) => backend.close(r));
  await s.close();
});

async function run(label: string) {
  const v = await startVisitor(s);
  expect((await say(s, v, '检查系统')).json().replies[0].text).toBe('哪种？');
  const r = (await say(s, v, label)).json();
  const trace = (await s.app.inject({ url: `/v1/conversations/${v.id}/messages`, headers: admin })).json().items.at(-1).metadata.trace;
  return { r, flow: trace.stages.find((x: { stage: string }) => x.stage === 'flow').output };
}

describe('a flow whose action fails', () => {
  it.each([
    ['挂起', 'timeout'],
    ['出错', 'http_error'],
    ['乱码', 'invalid_json'],
    ['超大', 'too_large'],
  ])('%s → the failure branch (%s), a hand-off with the reason, never a hang', async (label, error) => {
    const { r, flow } = await run(label);
    expect(r.replies).toHaveLength(1);
    expect(r.conversation).toMatchObject({ status: 'queued', handoffReason: 'backend_failed' });
    expect(flow.steps.find((x: { kind: string }) => x.kind === 'call').outcome).toBe(`flaky failed: ${error}`);
    expect(flow.handoff).toEqual({ reason: 'backend_failed', note: `失败：${error}` });
  });

  it('goes on when the system answers', async () => {
    const { r } = await run('正常');
    expect(r.replies[0].text).toBe('系统正常');
    expect(r.conversation.status).toBe('bot');
  });
});
