import { z } from 'zod';
import type { Reranker } from '../../ports/embedder.js';

export interface HttpRerankerOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
}

// Cohere, Jina, vLLM, Xinference and SiliconFlow answer `results: [{ index, relevance_score }]`.
const RerankResponse = z.object({
  results: z.array(z.object({ index: z.number().int().min(0), relevance_score: z.number().optional(), score: z.number().optional() })).min(1),
});

export class RerankError extends Error {
  override name = 'RerankError';
}

/** A cross-encoder behind a `/rerank` endpoint in the Cohere/Jina wire format. */
export class HttpReranker implements Reranker {
  readonly model: string;
  private readonly url: string;

  constructor(private readonly opts: HttpRerankerOptions) {
    this.model = opts.model;
    this.url = `${opts.baseURL.replace(/\/+$/, '')}/rerank`;
  }

  async rerank(query: string, documents: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<number[]> {
    if (documents.length === 0) return [];
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
      body: JSON.stringify({ model: this.opts.model, query, documents, top_n: documents.length, return_documents: false }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (!res.ok) throw new RerankError(`the rerank endpoint answered HTTP ${res.status}`);
    const parsed = RerankResponse.safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new RerankError('the rerank endpoint answered in an unknown format');
    const scores = new Array<number>(documents.length).fill(Number.NEGATIVE_INFINITY);
    for (const r of parsed.data.results) {
      const s = r.relevance_score ?? r.score;
      if (r.index >= documents.length || s === undefined || !Number.isFinite(s)) throw new RerankError('the rerank endpoint answered with an invalid result');
      scores[r.index] = s;
    }
    return scores;
  }
}
