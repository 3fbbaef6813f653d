import type { UseCaseContext } from './context.js';
import { type EmbedOutcome, embedKnowledge } from './embed-knowledge.js';

export interface ReloadOutcome {
  /** FAQ entries and chunks indexed. */
  entries: number;
  /** Per workspace, what embedding did (absent when no embedder is configured or `vectors` is false). */
  vectors: Map<string, EmbedOutcome>;
}

/**
 * Rebuilds the retrieval index of one workspace (or all) from the database: FAQs, document chunks,
 * vocabulary, then (when an embedder is configured and `vectors` is not false) their dense vectors.
 */
export async function reloadKnowledge(ctx: UseCaseContext, workspaceId?: string, opts: { vectors?: boolean } = {}): Promise<ReloadOutcome> {
  const ids = workspaceId ? [workspaceId] : (await ctx.store.workspaces.list()).map((w) => w.id);
  let entries = 0;
  const vectors = new Map<string, EmbedOutcome>();
  for (const id of ids) {
    const [published, words, synonyms, chunks] = await Promise.all([
      ctx.store.faqs.listPublished(id),
      ctx.store.terms.listDictionary(id),
      ctx.store.terms.listSynonyms(id),
      ctx.store.documents.allChunks(id),
    ]);
    await ctx.knowledge.rebuild(
      id,
      published,
      { dictionary: words.map((w) => w.word), synonyms: synonyms.map((g) => g.terms) },
      chunks.map((c) => ({ id: c.id, documentId: c.documentId, title: c.title, headingPath: c.headingPath, text: c.text, audience: c.audience })),
    );
    entries += published.length + chunks.length;
    if (opts.vectors !== false) {
      const outcome = await embedKnowledge(ctx, id, published, chunks);
      if (outcome) vectors.set(id, outcome);
    }
  }
  return { entries, vectors };
}
