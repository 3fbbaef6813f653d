import type { Embedder, Reranker } from '../ports/embedder.js';
import type { KnowledgeIndex, KnowledgeSearchOptions, KnowledgeSearchResult } from '../ports/knowledge-index.js';

export interface RetrievalPorts {
  knowledge: KnowledgeIndex;
  embedder?: Embedder | null;
  reranker?: Reranker | null;
  /** How long to wait for the query's vector / the reranker before going on without it. */
  embeddingTimeoutMs?: number;
  rerankTimeoutMs?: number;
  similarityFloor?: number;
}

/** What an optional lane did in this search: the trace and the console show it. */
export type LaneOutcome =
  | { status: 'off' }
  | { status: 'used'; ms: number; model: string }
  | { status: 'failed'; ms: number; model: string; reason: 'timeout' | 'error' | 'unavailable' | 'model_mismatch'; message?: string };

export interface Retrieval extends KnowledgeSearchResult {
  dense: LaneOutcome;
  rerank: LaneOutcome;
}

/** Candidates the reranker sees: the fused top list, deeper than what the caller asked for. */
const RERANK_DEPTH = 10;

/**
 * Hybrid retrieval: BM25 always; the query's embedding fused by reciprocal rank when the workspace has
 * vectors; then an optional reranker over the top candidates. Optional lanes that fail, time out or
 * are cooling down are skipped: the result is then the lexical one, never an error.
 */
export async function retrieveKnowledge(
  ports: RetrievalPorts,
  workspaceId: string,
  query: string,
  k: number,
  opts: Omit<KnowledgeSearchOptions, 'queryVector' | 'similarityFloor'> = {},
): Promise<Retrieval> {
  const { knowledge, embedder, reranker } = ports;
  let dense: LaneOutcome = { status: 'off' };
  let queryVector: Float32Array | undefined;
  const stored = knowledge.vectorModel(workspaceId);
  if (embedder && stored && query.trim()) {
    const t0 = performance.now();
    if (stored !== embedder.model) {
      // Vectors from an earlier model cannot be compared with this one's; the next rebuild re-embeds.
      dense = { status: 'failed', ms: 0, model: embedder.model, reason: 'model_mismatch' };
    } else {
      const signal = AbortSignal.timeout(ports.embeddingTimeoutMs ?? 2000);
      try {
        [queryVector] = await embedder.embed([query], { signal, purpose: 'query' });
        dense = { status: 'used', ms: ms(t0), model: embedder.model };
      } catch (err) {
        dense = { status: 'failed', ms: ms(t0), model: embedder.model, ...failure(err, signal) };
      }
    }
  }
  const depth = reranker ? Math.max(k, RERANK_DEPTH) : k;
  const result = knowledge.search(workspaceId, query, depth, {
    ...opts,
    ...(queryVector ? { queryVector } : {}),
    ...(ports.similarityFloor === undefined ? {} : { similarityFloor: ports.similarityFloor }),
  });

  let rerank: LaneOutcome = { status: 'off' };
  let hits = result.hits;
  if (reranker && hits.length > 1) {
    const t0 = performance.now();
    const signal = AbortSignal.timeout(ports.rerankTimeoutMs ?? 2000);
    try {
      const scores = await reranker.rerank(
        query,
        hits.map((h) => `${h.entry.question}\n${h.entry.answer}`.slice(0, 2000)),
        { signal },
      );
      // Scores in 0..1 (Cohere, Jina, BGE rerankers) are probabilities of relevance: they count as evidence.
      const probabilities = scores.every((s) => s >= 0 && s <= 1);
      hits = hits
        .map((h, i) => ({ ...h, rerankScore: scores[i]!, confidence: probabilities ? Math.max(h.confidence, scores[i]!) : h.confidence }))
        .sort((a, b) => b.rerankScore - a.rerankScore);
      rerank = { status: 'used', ms: ms(t0), model: reranker.model };
    } catch (err) {
      rerank = { status: 'failed', ms: ms(t0), model: reranker.model, ...failure(err, signal) };
    }
  }
  hits = hits.slice(0, k);
  return { ...result, hits, confidence: hits[0]?.confidence ?? 0, dense, rerank };
}

function failure(err: unknown, signal: AbortSignal): { reason: 'timeout' | 'error' | 'unavailable'; message?: string } {
  if (signal.aborted) return { reason: 'timeout' };
  if (err instanceof Error && err.name === 'EmbedderUnavailable') return { reason: 'unavailable' };
  return { reason: 'error', message: err instanceof Error ? err.message.slice(0, 200) : String(err).slice(0, 200) };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
