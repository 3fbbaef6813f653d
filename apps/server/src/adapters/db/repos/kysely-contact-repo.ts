import type { Kysely, Selectable } from 'kysely';
import type { Contact } from '../../../domain/entities.js';
import type { ContactRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { ContactsTable, Database } from '../schema.js';

const toContact = (r: Selectable<ContactsTable>): Contact => ({
  id: r.id,
  workspaceId: r.workspace_id,
  externalId: r.external_id,
  name: r.name,
  email: r.email,
  phone: r.phone,
  attributes: parseJson(r.attributes, {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toRow = (c: Contact) => ({
  id: c.id,
  workspace_id: c.workspaceId,
  external_id: c.externalId,
  name: c.name,
  email: c.email,
  phone: c.phone,
  attributes: JSON.stringify(c.attributes),
  created_at: c.createdAt,
  updated_at: c.updatedAt,
});

export class KyselyContactRepo implements ContactRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(c: Contact) {
    await this.db.insertInto('contacts').values(toRow(c)).execute();
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toContact(r) : null;
  }
  async findByExternalId(workspaceId: string, externalId: string) {
    const r = await this.db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('external_id', '=', externalId).executeTakeFirst();
    return r ? toContact(r) : null;
  }
  async list(workspaceId: string, q: { q?: string; cursor?: string; limit: number }) {
    let query = this.db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId);
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      query = query.where((eb) => eb.or([eb('name', 'like', like), eb('email', 'like', like), eb('phone', 'like', like), eb('external_id', 'like', like)]));
    }
    if (q.cursor) {
      const c = readCursor(q.cursor, 1);
      query = query.where('id', '>', c[0] as string);
    }
    const rows = await query
      .orderBy('id')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toContact, (c) => [c.id]);
  }
  async update(c: Contact) {
    const { id, workspace_id, created_at, ...rest } = toRow(c);
    await this.db.updateTable('contacts').set(rest).where('workspace_id', '=', workspace_id).where('id', '=', id).execute();
  }
}
