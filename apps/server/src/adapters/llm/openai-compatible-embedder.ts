import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { embedMany } from 'ai';
import type { Embedder, EmbedOptions } from '../../ports/embedder.js';

export interface OpenAICompatibleEmbedderOptions {
  baseURL: string;
  model: string;
  apiKey?: string;
  dimensions?: number;
  /** Retries of a failed call (with the SDK's exponential backoff). */
  maxRetries?: number;
}

/** Texts per request: small enough that one slow batch does not stall an import for long. */
const BATCH = 64;

/** Embeddings through the Vercel AI SDK's OpenAI-compatible provider (OpenAI, Azure, vLLM, Ollama, Xinference…). */
export class OpenAICompatibleEmbedder implements Embedder {
  readonly model: string;
  private readonly embeddingModel;
  private readonly providerOptions;
  private readonly maxRetries: number;

  constructor(opts: OpenAICompatibleEmbedderOptions) {
    this.model = opts.dimensions ? `${opts.model}@${opts.dimensions}` : opts.model;
    const provider = createOpenAICompatible({ name: 'kefu', baseURL: opts.baseURL, ...(opts.apiKey ? { apiKey: opts.apiKey } : {}) });
    this.embeddingModel = provider.embeddingModel(opts.model);
    this.providerOptions = opts.dimensions ? { kefu: { dimensions: opts.dimensions } } : undefined;
    this.maxRetries = opts.maxRetries ?? 2;
  }

  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      const values = texts.slice(i, i + BATCH);
      const { embeddings } = await embedMany({
        model: this.embeddingModel,
        values,
        maxRetries: this.maxRetries,
        ...(opts.signal ? { abortSignal: opts.signal } : {}),
        ...(this.providerOptions ? { providerOptions: this.providerOptions } : {}),
      });
      if (embeddings.length !== values.length) throw new EmbeddingError(`the endpoint returned ${embeddings.length} vectors for ${values.length} texts`);
      for (const e of embeddings) out.push(toVector(e, out[0]?.length));
    }
    return out;
  }
}

export class EmbeddingError extends Error {
  override name = 'EmbeddingError';
}

/** A vector we can trust: non-empty, finite, not all zeros, the same size as the others. */
function toVector(values: readonly number[], dims: number | undefined): Float32Array {
  if (values.length === 0) throw new EmbeddingError('the endpoint returned an empty vector');
  if (dims !== undefined && values.length !== dims) throw new EmbeddingError(`vector sizes differ (${values.length} vs ${dims})`);
  const v = Float32Array.from(values);
  let norm = 0;
  for (const x of v) {
    if (!Number.isFinite(x)) throw new EmbeddingError('the endpoint returned a vector with non-finite numbers');
    norm += x * x;
  }
  if (norm === 0) throw new EmbeddingError('the endpoint returned a zero vector');
  return v;
}
