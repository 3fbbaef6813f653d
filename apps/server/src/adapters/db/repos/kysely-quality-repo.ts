import { type Kysely, sql } from 'kysely';
import type { ConversationRating, FaqStats, MessageFeedback } from '../../../domain/entities.js';
import type { QualityRepo } from '../../../ports/store.js';
import type { ConversationRatingsTable, Database } from '../schema.js';

export class KyselyQualityRepo implements QualityRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async addCounts(workspaceId: string, counts: ReadonlyMap<string, { hits: number; helpful: number; notHelpful: number; lastHitAt: string | null }>) {
    for (const [entryId, c] of counts) {
      await this.db
        .insertInto('faq_stats')
        .values({ entry_id: entryId, workspace_id: workspaceId, hits: c.hits, helpful: c.helpful, not_helpful: c.notHelpful, last_hit_at: c.lastHitAt })
        .onConflict((oc) =>
          oc.column('entry_id').doUpdateSet({
            hits: sql`faq_stats.hits + ${c.hits}`,
            helpful: sql`faq_stats.helpful + ${c.helpful}`,
            not_helpful: sql`faq_stats.not_helpful + ${c.notHelpful}`,
            last_hit_at: sql`coalesce(${c.lastHitAt}, faq_stats.last_hit_at)`,
          }),
        )
        .execute();
    }
  }

  async stats(workspaceId: string, entryIds: readonly string[]) {
    const out = new Map<string, FaqStats>();
    if (entryIds.length === 0) return out;
    const rows = await this.db.selectFrom('faq_stats').selectAll().where('workspace_id', '=', workspaceId).where('entry_id', 'in', entryIds).execute();
    for (const r of rows) {
      out.set(r.entry_id, {
        entryId: r.entry_id,
        hits: Number(r.hits),
        helpful: Number(r.helpful),
        notHelpful: Number(r.not_helpful),
        lastHitAt: r.last_hit_at,
      });
    }
    return out;
  }

  async deleteFeedback(workspaceId: string, messageId: string) {
    await this.db.deleteFrom('message_feedback').where('workspace_id', '=', workspaceId).where('message_id', '=', messageId).execute();
  }

  async findFeedback(workspaceId: string, messageId: string) {
    const r = await this.db
      .selectFrom('message_feedback')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('message_id', '=', messageId)
      .executeTakeFirst();
    return r
      ? {
          messageId: r.message_id,
          workspaceId: r.workspace_id,
          conversationId: r.conversation_id,
          entryId: r.entry_id,
          helpful: Boolean(r.helpful),
          comment: r.comment,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
        }
      : null;
  }

  async saveFeedback(f: MessageFeedback) {
    await this.db
      .insertInto('message_feedback')
      .values({
        message_id: f.messageId,
        workspace_id: f.workspaceId,
        conversation_id: f.conversationId,
        entry_id: f.entryId,
        helpful: f.helpful ? 1 : 0,
        comment: f.comment,
        created_at: f.createdAt,
        updated_at: f.updatedAt,
      })
      .onConflict((oc) => oc.column('message_id').doUpdateSet({ helpful: f.helpful ? 1 : 0, comment: f.comment, updated_at: f.updatedAt }))
      .execute();
  }

  async findRating(workspaceId: string, conversationId: string) {
    const r = await this.db
      .selectFrom('conversation_ratings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return r ? toRating(r) : null;
  }

  async saveRating(r: ConversationRating) {
    const row = {
      conversation_id: r.conversationId,
      workspace_id: r.workspaceId,
      score: r.score,
      comment: r.comment,
      assignee_id: r.assigneeId,
      team_id: r.teamId,
      channel: r.channel,
      created_at: r.createdAt,
      updated_at: r.updatedAt,
    };
    await this.db
      .insertInto('conversation_ratings')
      .values(row)
      .onConflict((oc) =>
        oc.column('conversation_id').doUpdateSet({ score: r.score, comment: r.comment, assignee_id: r.assigneeId, team_id: r.teamId, updated_at: r.updatedAt }),
      )
      .execute();
  }

  async ratingsOf(workspaceId: string, conversationIds: readonly string[]) {
    const out = new Map<string, ConversationRating>();
    if (conversationIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('conversation_ratings')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', 'in', conversationIds)
      .execute();
    for (const r of rows) out.set(r.conversation_id, toRating(r));
    return out;
  }
}

function toRating(r: ConversationRatingsTable): ConversationRating {
  return {
    conversationId: r.conversation_id,
    workspaceId: r.workspace_id,
    score: Number(r.score),
    comment: r.comment,
    assigneeId: r.assignee_id,
    teamId: r.team_id,
    channel: r.channel,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
