import type { Kysely } from 'kysely';
import type { DictionaryWord, SynonymGroup } from '../../../domain/entities.js';
import type { KnowledgeTermsRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database } from '../schema.js';

export class KyselyKnowledgeTermsRepo implements KnowledgeTermsRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async listSynonyms(workspaceId: string) {
    const rows = await this.db
      .selectFrom('knowledge_synonyms')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      terms: parseJson<string[]>(r.terms, []),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
  async findSynonyms(workspaceId: string, id: string) {
    return (await this.listSynonyms(workspaceId)).find((g) => g.id === id) ?? null;
  }
  async saveSynonyms(g: SynonymGroup) {
    const values = { terms: JSON.stringify(g.terms), updated_at: g.updatedAt };
    const r = await this.db.updateTable('knowledge_synonyms').set(values).where('workspace_id', '=', g.workspaceId).where('id', '=', g.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .insertInto('knowledge_synonyms')
        .values({ ...values, id: g.id, workspace_id: g.workspaceId, created_at: g.createdAt })
        .execute();
    }
  }
  async deleteSynonyms(workspaceId: string, id: string) {
    const r = await this.db.deleteFrom('knowledge_synonyms').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async listDictionary(workspaceId: string) {
    const rows = await this.db.selectFrom('knowledge_dictionary').selectAll().where('workspace_id', '=', workspaceId).orderBy('word').execute();
    return rows.map((r) => ({ id: r.id, workspaceId: r.workspace_id, word: r.word, createdAt: r.created_at }));
  }
  async addWords(workspaceId: string, words: DictionaryWord[]) {
    const added: DictionaryWord[] = [];
    for (const w of words) {
      const r = await this.db
        .insertInto('knowledge_dictionary')
        .values({ id: w.id, workspace_id: workspaceId, word: w.word, created_at: w.createdAt })
        .onConflict((oc) => oc.columns(['workspace_id', 'word']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) added.push(w);
    }
    return added;
  }
  async deleteWord(workspaceId: string, word: string) {
    const r = await this.db.deleteFrom('knowledge_dictionary').where('workspace_id', '=', workspaceId).where('word', '=', word).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
