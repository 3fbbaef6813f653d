export interface EmbedOptions {
  signal?: AbortSignal;
  purpose?: 'query' | 'document';
}

/** Turns texts into dense vectors (any OpenAI-compatible `/embeddings` endpoint). */
export interface Embedder {
  /** Names the model: stored vectors are only compared with vectors of the same model. */
  readonly model: string;
  /**
   * One vector per text, in order. Rejects on timeout, network or protocol errors. `purpose` says
   * whether the texts are a customer's query (latency-critical, often repeated) or knowledge being indexed.
   */
  embed(texts: readonly string[], opts?: EmbedOptions): Promise<Float32Array[]>;
}

/** Scores how well each document answers the query (a cross-encoder behind a `/rerank` endpoint). */
export interface Reranker {
  readonly model: string;
  /** One relevance score per document, in order; higher is better. */
  rerank(query: string, documents: readonly string[], opts?: { signal?: AbortSignal }): Promise<number[]>;
}
