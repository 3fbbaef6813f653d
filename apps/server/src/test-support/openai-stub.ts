import { createServer, type IncomingMessage, type Server } from 'node:http';

/**
 * A local HTTP server speaking the OpenAI wire protocol (and the Cohere/Jina `/rerank` format), so
 * tests exercise the real adapters over real HTTP. Its "model" is deterministic: a text's vector
 * counts the concepts it mentions (each concept a list of surface forms in any language), plus a light
 * hashed character-bigram signature, so paraphrases that share no words still land close together.
 */
export interface OpenAIStub {
  /** Base URL ending in /v1, as the adapters are configured. */
  baseURL: string;
  /** Every request received: path, parsed JSON body and the Authorization header. */
  requests: { path: string; body: Record<string, unknown>; authorization?: string }[];
  /** `ok`; `error` answers HTTP 500; `garbage` answers 200 with a body that is not the protocol; `nan` answers vectors of NaN (null on the wire); `zeros` answers all-zero vectors; `hang` never answers. */
  mode: 'ok' | 'error' | 'garbage' | 'nan' | 'zeros' | 'hang';
  /** Delay before each answer. */
  delayMs: number;
  /** What /chat/completions answers, given the request body (default: "ok"). The simple path; `chatScript` takes precedence. */
  chatReply: (body: Record<string, unknown>) => string;
  /**
   * Scripts /chat/completions, given the request body and the 0-based number of this chat request
   * among those in `requests`; `undefined` (or no script) answers `chatReply` normally. Streams when
   * the body asks for it (`stream: true`). `chatSequence(a, b)` scripts successive requests.
   */
  chatScript: ((body: Record<string, unknown>, call: number) => ChatScript | undefined) | null;
  /** Texts embedded so far (all inputs of all /embeddings calls). */
  embeddedTexts(): string[];
  close(): Promise<void>;
}

/** How the stub answers one chat request. Every field is optional; the default is a plain 200 answer. */
export interface ChatScript {
  /** The answer's text; as an array, the chunks it is streamed in (joined when not streaming). Default: `chatReply`, or none when `toolCalls` are given. */
  text?: string | string[];
  /** Tool calls the model makes. `arguments` is sent verbatim (so it can be invalid JSON); as an array, the fragments it is streamed in. */
  toolCalls?: { id?: string; name: string; arguments: string | string[] }[];
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: string;
  usage?: { promptTokens: number; completionTokens: number };
  /** Answer this HTTP status with an OpenAI error body instead. */
  status?: number;
  /** `retry-after` header (seconds, or an HTTP date) sent with `status`. */
  retryAfter?: number | string;
  /** Never answer (until the client gives up or the stub closes). */
  hang?: boolean;
  /** Before the first chunk; the headers go out at once, as from a model that accepted the request. Not streaming: before the answer. */
  firstTokenDelayMs?: number;
  /** Between chunks. */
  chunkDelayMs?: number;
  /** After the first chunk, `bad-json` sends a chunk that is not JSON (then carries on); `cut` drops the connection. Not streaming: the body is not JSON / the connection is dropped. */
  malformed?: 'bad-json' | 'cut';
}

/** A `chatScript` answering successive chat requests with `scripts` in turn, the last one repeated. */
export function chatSequence(...scripts: ChatScript[]): (body: Record<string, unknown>, call: number) => ChatScript | undefined {
  return (_body, call) => scripts[Math.min(call, scripts.length - 1)];
}

export interface OpenAIStubOptions {
  concepts?: readonly (readonly string[])[];
  dims?: number;
}

export async function startOpenAIStub(opts: OpenAIStubOptions = {}): Promise<OpenAIStub> {
  const concepts = opts.concepts ?? [];
  const dims = opts.dims ?? 64;
  const hanging = new Set<() => void>();
  const state: OpenAIStub = {
    baseURL: '',
    requests: [],
    mode: 'ok',
    delayMs: 0,
    chatReply: () => 'ok',
    chatScript: null,
    embeddedTexts: () => state.requests.filter((r) => r.path.endsWith('/embeddings')).flatMap((r) => toList(r.body.input)),
    close: async () => {
      for (const release of hanging) release();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  const server: Server = createServer(async (req, res) => {
    const body = await readJson(req);
    state.requests.push({ path: req.url ?? '', body, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const hang = () =>
      new Promise<void>((r) => {
        const release = () => {
          hanging.delete(release);
          r();
        };
        hanging.add(release);
        // `close` on the response, not the request: the request's fires once its body has been read.
        res.on('close', release);
      });
    if (state.mode === 'hang') return hang();
    if (state.delayMs > 0) await new Promise((r) => setTimeout(r, state.delayMs));
    if (res.destroyed) return;
    const send = (status: number, json: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (state.mode === 'error') return send(500, { error: { message: 'the model is overloaded', type: 'server_error' } });
    if (state.mode === 'garbage') return send(200, { hello: 'world' });

    if (req.url === '/v1/embeddings') {
      const input = toList(body.input);
      const size = typeof body.dimensions === 'number' ? body.dimensions : dims;
      return send(200, {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding:
            state.mode === 'nan' ? new Array(size).fill(Number.NaN) : state.mode === 'zeros' ? new Array(size).fill(0) : embedText(text, concepts, size),
        })),
        usage: { prompt_tokens: input.join('').length, total_tokens: input.join('').length },
      });
    }
    if (req.url === '/v1/chat/completions') {
      const call = state.requests.filter((r) => r.path === '/v1/chat/completions').length - 1;
      const script = state.chatScript?.(body, call) ?? {};
      if (script.hang) return hang();
      if (script.status !== undefined && script.status !== 200) {
        res.writeHead(script.status, {
          'content-type': 'application/json',
          ...(script.retryAfter !== undefined ? { 'retry-after': String(script.retryAfter) } : {}),
        });
        res.end(JSON.stringify({ error: { message: `scripted ${script.status}`, type: script.status === 429 ? 'rate_limit_exceeded' : 'server_error' } }));
        return;
      }
      const chunks = script.text !== undefined ? toList(script.text) : script.toolCalls?.length ? [] : [state.chatReply(body)];
      const toolCalls = (script.toolCalls ?? []).map((t, i) => ({ id: t.id ?? `call_${call}_${i}`, name: t.name, fragments: toList(t.arguments) }));
      const finishReason = script.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop');
      const usage = script.usage ?? { promptTokens: 50, completionTokens: 10 };
      const wireUsage = {
        prompt_tokens: usage.promptTokens,
        completion_tokens: usage.completionTokens,
        total_tokens: usage.promptTokens + usage.completionTokens,
      };
      const head = { id: `chatcmpl-stub-${call}`, created: Math.floor(Date.now() / 1000), model: body.model };
      if (body.stream === true) {
        const wantsUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
        const events: unknown[] = [
          ...chunks.map((content, i) => ({ index: 0, delta: i === 0 ? { role: 'assistant', content } : { content }, finish_reason: null })),
          ...toolCalls.flatMap((t, index) => [
            { index: 0, delta: { tool_calls: [{ index, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] }, finish_reason: null },
            ...t.fragments.map((f) => ({ index: 0, delta: { tool_calls: [{ index, function: { arguments: f } }] }, finish_reason: null })),
          ]),
          { index: 0, delta: {}, finish_reason: finishReason },
        ].map((choice) => ({ ...head, object: 'chat.completion.chunk', choices: [choice] }));
        if (wantsUsage) events.push({ ...head, object: 'chat.completion.chunk', choices: [], usage: wireUsage });
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
        res.flushHeaders();
        if (script.firstTokenDelayMs) await pause(script.firstTokenDelayMs, res);
        for (const [i, event] of events.entries()) {
          if (res.destroyed) return;
          if (i > 0 && script.chunkDelayMs) await pause(script.chunkDelayMs, res);
          res.write(`data: ${JSON.stringify(event)}\n\n`);
          if (i === 0 && script.malformed === 'cut') {
            // Let the first chunk reach the client before the connection drops.
            await pause(20, res);
            res.socket?.destroy();
            return;
          }
          if (i === 0 && script.malformed === 'bad-json') res.write('data: {"id": "chatcmpl-stub", "choices": [\n\n');
        }
        if (!res.destroyed) res.end('data: [DONE]\n\n');
        return;
      }
      if (script.firstTokenDelayMs) await pause(script.firstTokenDelayMs, res);
      if (res.destroyed) return;
      if (script.malformed === 'cut') return void res.socket?.destroy();
      if (script.malformed === 'bad-json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"id": "chatcmpl-stub", "choices": [');
      }
      return send(200, {
        ...head,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: chunks.length ? chunks.join('') : null,
              ...(toolCalls.length
                ? { tool_calls: toolCalls.map((t) => ({ id: t.id, type: 'function', function: { name: t.name, arguments: t.fragments.join('') } })) }
                : {}),
            },
            finish_reason: finishReason,
          },
        ],
        usage: wireUsage,
      });
    }
    if (req.url === '/v1/rerank') {
      const query = String(body.query ?? '');
      const documents = toList(body.documents);
      const q = conceptsIn(query, concepts);
      return send(200, {
        results: documents
          .map((d, index) => {
            const c = conceptsIn(d, concepts);
            const shared = [...q].filter((x) => c.has(x)).length;
            return { index, relevance_score: q.size ? shared / q.size : 0 };
          })
          .sort((a, b) => b.relevance_score - a.relevance_score),
      });
    }
    send(404, { error: { message: `no route ${req.url}` } });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  state.baseURL = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/v1`;
  return state;
}

/** The stub model: concept counts (weight 1) and hashed character bigrams (weight 0.15), in `dims` numbers. */
export function embedText(text: string, concepts: readonly (readonly string[])[], dims: number): number[] {
  const v = new Array<number>(dims).fill(0);
  const lower = text.toLowerCase();
  const conceptDims = Math.min(concepts.length, dims >> 1);
  for (let i = 0; i < conceptDims; i++) if (concepts[i]!.some((form) => lower.includes(form.toLowerCase()))) v[i] = 1;
  const rest = dims - conceptDims;
  const chars = [...lower.replace(/\s+/g, ' ')];
  for (let i = 0; i + 1 < chars.length; i++) {
    let h = 2166136261;
    for (const ch of chars[i]! + chars[i + 1]!) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
    v[conceptDims + ((h >>> 0) % rest)]! += 0.15;
  }
  if (!v.some((x) => x !== 0)) v[dims - 1] = 1e-3;
  return v;
}

function conceptsIn(text: string, concepts: readonly (readonly string[])[]): Set<number> {
  const lower = text.toLowerCase();
  const found = new Set<number>();
  concepts.forEach((forms, i) => {
    if (forms.some((f) => lower.includes(f.toLowerCase()))) found.add(i);
  });
  return found;
}

/** Waits `ms`, or less if the client goes away. */
function pause(ms: number, res: { once(event: 'close', listener: () => void): unknown; off(event: 'close', listener: () => void): unknown }) {
  return new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}

const toList = (x: unknown): string[] => (Array.isArray(x) ? x.map(String) : typeof x === 'string' ? [x] : []);

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    return {};
  }
}
