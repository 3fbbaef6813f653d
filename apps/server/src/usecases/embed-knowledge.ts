import { createHash } from 'node:crypto';
import type { DocumentChunk, FaqEntry } from '../domain/entities.js';
import type { EmbeddedUnit } from '../ports/knowledge-index.js';
import type { UseCaseContext } from './context.js';

/** Characters of a chunk that are embedded (well inside every embedding model's input limit). */
const MAX_CHARS = 2000;

export interface EmbedOutcome {
  /** Texts that have a vector now, of all texts the workspace's knowledge has. */
  embedded: number;
  total: number;
  /** Texts embedded by this call (the rest were stored already). */
  created: number;
  /** Set when the endpoint failed: the texts without a vector rely on BM25 until a retry succeeds. */
  error?: string;
}

/**
 * Gives the workspace's knowledge its dense vectors: each FAQ question and similar question, and each
 * chunk (with its heading path), is embedded once and stored by the hash of its text, so that only new
 * or changed texts reach the endpoint. Vectors of texts that no longer exist are deleted.
 */
export async function embedKnowledge(
  ctx: UseCaseContext,
  workspaceId: string,
  faqs: readonly FaqEntry[],
  chunks: readonly (Pick<DocumentChunk, 'id' | 'headingPath' | 'text'> & { title: string })[],
): Promise<EmbedOutcome | null> {
  const embedder = ctx.retrieval.embedder;
  if (!embedder) return null;
  const units: { id: string; text: string; hash: string }[] = [];
  const add = (id: string, text: string) => {
    const t = text.trim().slice(0, MAX_CHARS);
    if (t) units.push({ id, text: t, hash: hashText(t) });
  };
  for (const f of faqs) for (const q of [f.question, ...f.similar]) add(f.id, q);
  for (const c of chunks) add(c.id, `${[c.title, ...c.headingPath.filter((h) => h !== c.title)].join(' › ')}\n${c.text}`);

  const hashes = [...new Set(units.map((u) => u.hash))];
  const vectors = await ctx.store.embeddings.find(workspaceId, embedder.model, hashes);
  const missing = hashes.filter((h) => !vectors.has(h));
  let created = 0;
  let error: string | undefined;
  if (missing.length > 0) {
    const textOf = new Map(units.map((u) => [u.hash, u.text]));
    // Batches are saved as they arrive: an import interrupted half-way keeps what it paid for.
    const BATCH = 256;
    try {
      for (let i = 0; i < missing.length; i += BATCH) {
        const batch = missing.slice(i, i + BATCH);
        const got = await embedder.embed(
          batch.map((h) => textOf.get(h)!),
          { signal: AbortSignal.timeout(120_000), purpose: 'document' },
        );
        const fresh = new Map(batch.map((h, j) => [h, got[j]!]));
        await ctx.store.embeddings.save(workspaceId, embedder.model, fresh, ctx.clock.now().toISOString());
        for (const [h, v] of fresh) vectors.set(h, v);
        created += batch.length;
      }
    } catch (err) {
      error = err instanceof Error ? err.message.slice(0, 300) : String(err);
      ctx.log.warn({ workspaceId, model: embedder.model, err: error, missing: missing.length - created }, 'embedding knowledge failed');
    }
  }
  if (!error) await ctx.store.embeddings.prune(workspaceId, embedder.model, new Set(hashes));
  const embedded: EmbeddedUnit[] = [];
  for (const u of units) {
    const v = vectors.get(u.hash);
    if (v) embedded.push({ id: u.id, vector: v });
  }
  ctx.knowledge.setVectors(workspaceId, embedder.model, embedded);
  return { embedded: embedded.length, total: units.length, created, ...(error ? { error } : {}) };
}

export const hashText = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);
