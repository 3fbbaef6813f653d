import type { DictionaryWord, SynonymGroup } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

// Synonym groups and dictionary words of a workspace. Each change rebuilds the workspace's index
// through the knowledge.changed event, so a test search right after an edit already uses it.

const changed = (ctx: UseCaseContext, workspaceId: string) => ctx.bus.publish([{ type: 'knowledge.changed', workspaceId }]);

export const listSynonyms = (ctx: UseCaseContext, p: Principal) => ctx.store.terms.listSynonyms(p.workspaceId);

export async function saveSynonyms(ctx: UseCaseContext, p: Principal, terms: string[], id?: string): Promise<SynonymGroup> {
  const now = ctx.clock.now().toISOString();
  const existing = id ? await ctx.store.terms.findSynonyms(p.workspaceId, id) : null;
  if (id && !existing) throw notFound('synonyms', id);
  const group: SynonymGroup = { id: id ?? ctx.ids.next(), workspaceId: p.workspaceId, terms, createdAt: existing?.createdAt ?? now, updatedAt: now };
  await ctx.store.terms.saveSynonyms(group);
  await changed(ctx, p.workspaceId);
  return group;
}

export async function deleteSynonyms(ctx: UseCaseContext, p: Principal, id: string) {
  if (!(await ctx.store.terms.deleteSynonyms(p.workspaceId, id))) throw notFound('synonyms', id);
  await changed(ctx, p.workspaceId);
}

export const listDictionary = (ctx: UseCaseContext, p: Principal) => ctx.store.terms.listDictionary(p.workspaceId);

export async function addDictionaryWords(ctx: UseCaseContext, p: Principal, words: string[]): Promise<DictionaryWord[]> {
  const now = ctx.clock.now().toISOString();
  const unique = [...new Set(words)];
  if (unique.some((w) => [...w].length < 2))
    throw new DomainError('VALIDATION_FAILED', 'dictionary words need at least two characters', { field: 'body.words' });
  const added = await ctx.store.terms.addWords(
    p.workspaceId,
    unique.map((word) => ({ id: ctx.ids.next(), workspaceId: p.workspaceId, word, createdAt: now })),
  );
  if (added.length) await changed(ctx, p.workspaceId);
  return added;
}

export async function deleteDictionaryWord(ctx: UseCaseContext, p: Principal, word: string) {
  if (!(await ctx.store.terms.deleteWord(p.workspaceId, word))) throw notFound('dictionary_word', word);
  await changed(ctx, p.workspaceId);
}
