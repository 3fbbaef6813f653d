import type { Kysely, Selectable } from 'kysely';
import type { FlowRecord } from '../../../domain/entities.js';
import type { FlowRepo } from '../../../ports/store.js';
import type { Database, FlowsTable } from '../schema.js';

const toFlow = (r: Selectable<FlowsTable>): FlowRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  key: r.key,
  enabled: Boolean(r.enabled),
  version: Number(r.version),
  source: r.source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class KyselyFlowRepo implements FlowRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(workspaceId: string) {
    return (await this.db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).orderBy('key').execute()).map(toFlow);
  }
  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toFlow(r) : null;
  }
  async findByKey(workspaceId: string, key: string) {
    const r = await this.db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
    return r ? toFlow(r) : null;
  }
  async save(f: FlowRecord, authorId: string | null) {
    // Two writes: callers wanting them atomic run this inside store.transaction.
    const tx = this.db;
    {
      const values = { key: f.key, enabled: f.enabled ? 1 : 0, version: f.version, source: f.source, updated_at: f.updatedAt };
      const r = await tx.updateTable('flows').set(values).where('workspace_id', '=', f.workspaceId).where('id', '=', f.id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) {
        await tx
          .insertInto('flows')
          .values({ ...values, id: f.id, workspace_id: f.workspaceId, created_at: f.createdAt })
          .execute();
      }
      const known = await tx.selectFrom('flow_versions').select('version').where('flow_id', '=', f.id).where('version', '=', f.version).executeTakeFirst();
      if (!known) {
        await tx
          .insertInto('flow_versions')
          .values({ flow_id: f.id, version: f.version, source: f.source, author_id: authorId, created_at: f.updatedAt })
          .execute();
      }
    }
  }
  async versions(workspaceId: string, flowId: string) {
    const rows = await this.db
      .selectFrom('flow_versions')
      .innerJoin('flows', 'flows.id', 'flow_versions.flow_id')
      .select(['flow_versions.flow_id', 'flow_versions.version', 'flow_versions.source', 'flow_versions.author_id', 'flow_versions.created_at'])
      .where('flows.workspace_id', '=', workspaceId)
      .where('flow_versions.flow_id', '=', flowId)
      .orderBy('flow_versions.version', 'desc')
      .execute();
    return rows.map((r) => ({ flowId: r.flow_id, version: Number(r.version), source: r.source, authorId: r.author_id, createdAt: r.created_at }));
  }
  async delete(workspaceId: string, id: string) {
    const r = await this.db.deleteFrom('flows').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
