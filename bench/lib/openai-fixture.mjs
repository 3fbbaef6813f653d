// A fixture language model for benchmarks: a local HTTP server speaking the OpenAI chat-completions
// protocol. Streamed requests (`stream: true`, the answers) get the headers at once, then — after a
// fixed wait, as from a model thinking — the answer in small SSE chunks a few milliseconds apart,
// citing source [1]. Other requests (classification: assist-intent, refine-sentiment) are answered at
// once with a neutral JSON verdict. It records, per request, when it arrived and when its first chunk
// was written (performance.now(), the clock of the process it runs in), so a benchmark in the same
// process can tell the model's wait from everything else. Plain JS: the tests' stub
// (apps/server/src/test-support/openai-stub.ts) is TypeScript and not part of the build.
import { createServer } from 'node:http';

/** What a classification request is answered, by the system prompt's opening (see engine/assist-intent.ts, refine-sentiment.ts). */
const VERDICTS = [
  { purpose: 'intent', marker: 'You label customer-service messages', text: '{"intent":"none","confidence":0.1}' },
  {
    purpose: 'sentiment',
    marker: 'You rate the mood',
    text: '{"polarity":0,"anger":0,"anxiety":0,"dissatisfaction":0,"satisfaction":0,"confusion":0,"regulatorThreat":false}',
  },
];

/** The answer, in the language the prompt asks for, in about ten pieces (tokens are a few characters). */
const ANSWERS = {
  'Simplified Chinese': ['您好', '，', '关于', '这个问题', '，', '店铺的', '说明', '在这里', '[1]', '。'],
  'Traditional Chinese': ['您好', '，', '關於', '這個問題', '，', '店鋪的', '說明', '在這裡', '[1]', '。'],
  English: ['Thanks', ' for', ' asking', '.', ' Our', ' policy', ' covers', ' this', ' [1]', '.'],
};

/**
 * `classifyDelayMs` (settable while running) delays the answers to classification requests, to show what
 * they cost with a real model. `lastAnswerBody` is the JSON body of the latest streamed request, so a
 * peer can send the very same request.
 *
 * @param {{ firstTokenDelayMs?: number, chunkDelayMs?: number }} [opts]
 * @returns {Promise<{ baseURL: string, log: FixtureRequest[], firstTokenDelayMs: number, classifyDelayMs: number,
 *   lastAnswerBody: Record<string, unknown> | null, close(): Promise<void> }>}
 *
 * @typedef {{ purpose: 'answer' | 'intent' | 'sentiment' | 'other', stream: boolean, arrivedAt: number, readAt: number,
 *   firstChunkAt: number | null, pieceAt: number[], endedAt: number | null }} FixtureRequest
 */
export async function startOpenAIFixture(opts = {}) {
  const firstTokenDelayMs = opts.firstTokenDelayMs ?? 300;
  const chunkDelayMs = opts.chunkDelayMs ?? 5;
  /** @type {FixtureRequest[]} */
  const log = [];
  const fixture = { baseURL: '', log, firstTokenDelayMs, classifyDelayMs: 0, lastAnswerBody: null, close: async () => {} };
  const server = createServer(async (req, res) => {
    const arrivedAt = performance.now();
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const readAt = performance.now();
    if (req.url !== '/v1/chat/completions') {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { message: `no route ${req.url}` } }));
    }
    let body = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {}
    const system = String(body.messages?.find((m) => m.role === 'system')?.content ?? '');
    const stream = body.stream === true;
    const verdict = VERDICTS.find((v) => system.startsWith(v.marker));
    /** @type {FixtureRequest} */
    const entry = { purpose: verdict?.purpose ?? (stream ? 'answer' : 'other'), stream, arrivedAt, readAt, firstChunkAt: null, pieceAt: [], endedAt: null };
    log.push(entry);
    const head = { id: `chatcmpl-fixture-${log.length}`, created: Math.floor(Date.now() / 1000), model: body.model };
    const usage = { prompt_tokens: Math.ceil(system.length / 2), completion_tokens: 20, total_tokens: Math.ceil(system.length / 2) + 20 };

    if (!stream) {
      if (fixture.classifyDelayMs > 0) await pause(fixture.classifyDelayMs, res);
      if (res.destroyed) return;
      const text = verdict?.text ?? 'ok';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          ...head,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        }),
      );
      entry.firstChunkAt = entry.endedAt = performance.now();
      return;
    }

    fixture.lastAnswerBody = body;
    const language = Object.keys(ANSWERS).find((l) => system.includes(`in ${l}`)) ?? 'English';
    const pieces = ANSWERS[language];
    const events = [
      ...pieces.map((content, i) => ({ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null })),
      { index: 0, delta: {}, finish_reason: 'stop' },
    ].map((choice) => ({ ...head, object: 'chat.completion.chunk', choices: [choice] }));
    if (body.stream_options?.include_usage === true) events.push({ ...head, object: 'chat.completion.chunk', choices: [], usage });
    // Headers at once, as from a model that accepted the request; the wait is counted from the full request.
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
    // A timer may fire up to a millisecond early (libuv counts whole milliseconds): sleep to just short
    // of the mark, then yield to the event loop until it is reached, so the wait is never under it.
    await pause(firstTokenDelayMs - 2 - (performance.now() - readAt), res);
    while (performance.now() - readAt < firstTokenDelayMs && !res.destroyed) await new Promise((r) => setImmediate(r));
    for (const [i, event] of events.entries()) {
      if (res.destroyed) return;
      // Text pieces only are spaced; the closing and usage events follow the last piece at once.
      if (i > 0 && i < pieces.length) await pause(chunkDelayMs, res);
      res.write(`data: ${JSON.stringify(event)}\n\n`);
      if (i < pieces.length) entry.pieceAt.push(performance.now());
      if (i === 0) entry.firstChunkAt = entry.pieceAt[0];
    }
    if (!res.destroyed) res.end('data: [DONE]\n\n');
    entry.endedAt = performance.now();
  });
  // Keep-alive connections from the clients are kept for the whole run, as with a real endpoint.
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  fixture.baseURL = `http://127.0.0.1:${server.address().port}/v1`;
  fixture.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fixture;
}

/** Waits `ms` (at least 0), or less if the client goes away. */
function pause(ms, res) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    res.once('close', done);
  });
}
