import type { Kysely, Selectable } from 'kysely';
import type { Workspace } from '../../../domain/entities.js';
import type { WorkspaceRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database, WorkspacesTable } from '../schema.js';

const toWorkspace = (r: Selectable<WorkspacesTable>): Workspace => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  widgetKey: r.widget_key,
  settings: parseJson(r.settings, {}),
  createdAt: r.created_at,
});

export class KyselyWorkspaceRepo implements WorkspaceRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(w: Workspace) {
    await this.db
      .insertInto('workspaces')
      .values({ id: w.id, slug: w.slug, name: w.name, widget_key: w.widgetKey, settings: JSON.stringify(w.settings), created_at: w.createdAt })
      .execute();
  }
  async findById(id: string) {
    const r = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toWorkspace(r) : null;
  }
  async findBySlug(slug: string) {
    const r = await this.db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r ? toWorkspace(r) : null;
  }
  async findByWidgetKey(key: string) {
    const r = await this.db.selectFrom('workspaces').selectAll().where('widget_key', '=', key).executeTakeFirst();
    return r ? toWorkspace(r) : null;
  }
  async list() {
    return (await this.db.selectFrom('workspaces').selectAll().orderBy('created_at').execute()).map(toWorkspace);
  }
  async updateSettings(id: string, settings: Workspace['settings']) {
    await this.db
      .updateTable('workspaces')
      .set({ settings: JSON.stringify(settings) })
      .where('id', '=', id)
      .execute();
  }
  async identitySecret(id: string) {
    const r = await this.db.selectFrom('workspaces').select('identity_secret').where('id', '=', id).executeTakeFirst();
    return r?.identity_secret ?? null;
  }
  async setIdentitySecret(id: string, sealed: string, onlyIfUnset = false) {
    let q = this.db.updateTable('workspaces').set({ identity_secret: sealed }).where('id', '=', id);
    if (onlyIfUnset) q = q.where('identity_secret', 'is', null);
    await q.execute();
  }
}
