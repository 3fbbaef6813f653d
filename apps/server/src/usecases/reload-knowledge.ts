import type { UseCaseContext } from './context.js';

/** Rebuilds the retrieval index of one workspace (or all) from the database: FAQs, document chunks, vocabulary. */
export async function reloadKnowledge(ctx: UseCaseContext, workspaceId?: string): Promise<number> {
  const ids = workspaceId ? [workspaceId] : (await ctx.store.workspaces.list()).map((w) => w.id);
  let entries = 0;
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
  }
  return entries;
}
