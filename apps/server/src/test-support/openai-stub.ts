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
  /** What /chat/completions answers, given the request body (default: "ok"). */
  chatReply: (body: Record<string, unknown>) => string;
  /** Texts embedded so far (all inputs of all /embeddings calls). */
  embeddedTexts(): string[];
  close(): Promise<void>;
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
    if (state.mode === 'hang') {
      await new Promise<void>((r) => {
        hanging.add(r);
        req.on('close', r);
      });
      return;
    }
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
      return send(200, {
        id: 'chatcmpl-stub',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: state.chatReply(body) }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 50, completion_tokens: 10, total_tokens: 60 },
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
  if (v.every((x) => x === 0)) v[dims - 1] = 1e-3;
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
