import type { Kysely, Selectable } from 'kysely';
import type { ConversationEvent, Team } from '../../../domain/entities.js';
import type { ConversationEventQuery, ConversationEventRepo, TeamRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { ConversationEventsTable, Database, TeamsTable } from '../schema.js';

export class KyselyTeamRepo implements TeamRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(t: Team) {
    await atomically(this.db, async (trx) => {
      await trx
        .insertInto('teams')
        .values({ id: t.id, workspace_id: t.workspaceId, name: t.name, description: t.description, created_at: t.createdAt, updated_at: t.updatedAt })
        .execute();
      await setMembers(trx, t);
    });
  }
  async update(t: Team) {
    await atomically(this.db, async (trx) => {
      await trx
        .updateTable('teams')
        .set({ name: t.name, description: t.description, updated_at: t.updatedAt })
        .where('workspace_id', '=', t.workspaceId)
        .where('id', '=', t.id)
        .execute();
      await trx.deleteFrom('team_members').where('team_id', '=', t.id).execute();
      await setMembers(trx, t);
    });
  }
  async delete(workspaceId: string, id: string) {
    await atomically(this.db, async (trx) => {
      await trx.deleteFrom('team_members').where('workspace_id', '=', workspaceId).where('team_id', '=', id).execute();
      await trx.deleteFrom('teams').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
      // Their conversations and tickets go back to the workspace's shared queue.
      await trx.updateTable('conversations').set({ team_id: null }).where('workspace_id', '=', workspaceId).where('team_id', '=', id).execute();
      await trx.updateTable('tickets').set({ team_id: null }).where('workspace_id', '=', workspaceId).where('team_id', '=', id).execute();
    });
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? (await this.withMembers(workspaceId, [r]))[0]! : null;
  }
  async findByName(workspaceId: string, name: string) {
    const r = await this.db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
    return r ? (await this.withMembers(workspaceId, [r]))[0]! : null;
  }
  async list(workspaceId: string) {
    const rows = await this.db.selectFrom('teams').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').orderBy('id').execute();
    return this.withMembers(workspaceId, rows);
  }
  async teamIdsOf(workspaceId: string, memberId: string) {
    const rows = await this.db.selectFrom('team_members').select('team_id').where('workspace_id', '=', workspaceId).where('member_id', '=', memberId).execute();
    return rows.map((r) => r.team_id);
  }

  private async withMembers(workspaceId: string, rows: Selectable<TeamsTable>[]): Promise<Team[]> {
    if (rows.length === 0) return [];
    const links = await this.db
      .selectFrom('team_members')
      .select(['team_id', 'member_id'])
      .where('workspace_id', '=', workspaceId)
      .where(
        'team_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('member_id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      name: r.name,
      description: r.description,
      memberIds: links.filter((l) => l.team_id === r.id).map((l) => l.member_id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

/** Inside a store transaction already: run there (Kysely does not nest transactions). */
const atomically = <T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

async function setMembers(db: Kysely<Database>, t: Team) {
  if (t.memberIds.length === 0) return;
  await db
    .insertInto('team_members')
    .values([...new Set(t.memberIds)].map((member_id) => ({ team_id: t.id, member_id, workspace_id: t.workspaceId })))
    .execute();
}

const toEvent = (r: Selectable<ConversationEventsTable>): ConversationEvent => ({
  id: r.id,
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  type: r.type,
  actor: { type: r.actor_type as ConversationEvent['actor']['type'], id: r.actor_id },
  data: parseJson<Record<string, unknown>>(r.data, {}),
  at: r.at,
});

export class KyselyConversationEventRepo implements ConversationEventRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(e: ConversationEvent) {
    await this.db
      .insertInto('conversation_events')
      .values({
        id: e.id,
        workspace_id: e.workspaceId,
        conversation_id: e.conversationId,
        type: e.type,
        actor_type: e.actor.type,
        actor_id: e.actor.id,
        data: JSON.stringify(e.data),
        at: e.at,
      })
      .execute();
  }
  async list(workspaceId: string, q: ConversationEventQuery) {
    let query = this.db.selectFrom('conversation_events').selectAll().where('workspace_id', '=', workspaceId);
    if (q.conversationId) query = query.where('conversation_id', '=', q.conversationId);
    if (q.types?.length) query = query.where('type', 'in', q.types);
    if (q.since) query = query.where('at', '>=', q.since);
    if (q.cursor) {
      const [at, id] = readCursor(q.cursor, 2) as [string, string];
      query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
    }
    const rows = await query
      .orderBy('at', 'asc')
      .orderBy('id', 'asc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toEvent, (e) => [e.at, e.id]);
  }
}
