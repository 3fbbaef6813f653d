import { LRUCache } from 'lru-cache';
import type { Embedder, EmbedOptions } from '../../ports/embedder.js';

export class EmbedderUnavailable extends Error {
  override name = 'EmbedderUnavailable';
}

export interface ResilientEmbedderOptions {
  /** Query vectors remembered (customers ask the same things): this many, least recently used out. */
  cacheSize?: number;
  /** After a failure, calls fail at once for this long instead of each waiting for a timeout. */
  cooldownMs?: number;
  now?: () => number;
}

/**
 * Wraps an embedder for the turn path: remembers query vectors, and after a failed query stops calling
 * the endpoint for queries for a cool-down period (a minimal circuit breaker), so that while the
 * endpoint is down every turn answers from BM25 at once rather than after a timeout. Indexing
 * (`purpose: 'document'`) passes straight through: it has its own long timeout and retry schedule.
 */
export class ResilientEmbedder implements Embedder {
  private readonly cache: LRUCache<string, Float32Array>;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private openUntil = 0;

  constructor(
    private readonly inner: Embedder,
    opts: ResilientEmbedderOptions = {},
  ) {
    this.cache = new LRUCache({ max: opts.cacheSize ?? 2000 });
    this.cooldownMs = opts.cooldownMs ?? 15_000;
    this.now = opts.now ?? Date.now;
  }

  get model() {
    return this.inner.model;
  }

  /** True while calls are being refused after a failure. */
  get coolingDown() {
    return this.now() < this.openUntil;
  }

  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    if (opts.purpose === 'document') return this.inner.embed(texts, opts);
    const single = texts.length === 1 ? this.cache.get(texts[0]!) : undefined;
    if (single) return [single];
    if (this.coolingDown) throw new EmbedderUnavailable('the embeddings endpoint failed recently; retrying after the cool-down');
    try {
      const vectors = await this.inner.embed(texts, opts);
      if (texts.length === 1) this.cache.set(texts[0]!, vectors[0]!);
      return vectors;
    } catch (err) {
      // A caller that gave up (its own timeout) says nothing about the endpoint; anything else opens the breaker.
      if (!opts.signal?.aborted || isTimeout(opts.signal.reason)) this.openUntil = this.now() + this.cooldownMs;
      throw err;
    }
  }
}

const isTimeout = (reason: unknown) => reason instanceof Error && reason.name === 'TimeoutError';
