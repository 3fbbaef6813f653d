import type { AuthorType } from '@kefu/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Message } from '../../../domain/entities.js';
import type { MessageRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { Database, MessagesTable } from '../schema.js';

const toMessage = (r: Selectable<MessagesTable>): Message => ({
  id: r.id,
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  authorType: r.author_type as AuthorType,
  authorId: r.author_id,
  text: r.text,
  parts: parseJson(r.parts, []),
  metadata: parseJson(r.metadata, {}),
  clientMessageId: r.client_message_id,
  replyToId: r.reply_to_id,
  createdAt: r.created_at,
});

export const messageRow = (m: Message) => ({
  id: m.id,
  workspace_id: m.workspaceId,
  conversation_id: m.conversationId,
  author_type: m.authorType,
  author_id: m.authorId,
  text: m.text,
  parts: JSON.stringify(m.parts),
  metadata: JSON.stringify(m.metadata),
  client_message_id: m.clientMessageId,
  reply_to_id: m.replyToId,
  created_at: m.createdAt,
});

export class KyselyMessageRepo implements MessageRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(m: Message) {
    // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a failed statement
    // would abort the surrounding transaction.
    const r = await this.db
      .insertInto('messages')
      .values(messageRow(m))
      .onConflict((oc) => oc.columns(['conversation_id', 'author_type', 'client_message_id']).where('client_message_id', 'is not', null).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toMessage(r) : null;
  }
  async findByClientId(conversationId: string, authorType: AuthorType, clientMessageId: string) {
    const r = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('author_type', '=', authorType)
      .where('client_message_id', '=', clientMessageId)
      .executeTakeFirst();
    return r ? toMessage(r) : null;
  }
  async findReplies(conversationId: string, replyToId: string) {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('reply_to_id', '=', replyToId)
      .orderBy('id')
      .execute();
    return rows.map(toMessage);
  }
  /** Oldest first; the cursor is the id of the last message seen (ids are time-ordered UUIDv7). */
  async list(workspaceId: string, conversationId: string, q: { cursor?: string; limit: number; includeNotes: boolean }) {
    let query = this.db.selectFrom('messages').selectAll().where('workspace_id', '=', workspaceId).where('conversation_id', '=', conversationId);
    if (!q.includeNotes) query = query.where('author_type', '!=', 'note');
    if (q.cursor) {
      const c = readCursor(q.cursor, 1);
      query = query.where('id', '>', c[0] as string);
    }
    const rows = await query
      .orderBy('id')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toMessage, (m) => [m.id]);
  }

  async recent(workspaceId: string, conversationId: string, limit: number) {
    const rows = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('conversation_id', '=', conversationId)
      .where('author_type', '!=', 'note')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }
}
