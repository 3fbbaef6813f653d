import type { Kysely, Selectable } from 'kysely';
import type { ActionRecord } from '../../../domain/entities.js';
import type { ActionRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { ActionsTable, Database } from '../schema.js';

const toAction = (r: Selectable<ActionsTable>): ActionRecord => ({
  id: r.id,
  workspaceId: r.workspace_id,
  key: r.key,
  description: r.description,
  kind: r.kind as ActionRecord['kind'],
  config: parseJson<Record<string, unknown>>(r.config, {}),
  secrets: parseJson<Record<string, string>>(r.secrets, {}),
  llmTool: Number(r.llm_tool) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class KyselyActionRepo implements ActionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(workspaceId: string) {
    return (await this.db.selectFrom('actions').selectAll().where('workspace_id', '=', workspaceId).orderBy('key').execute()).map(toAction);
  }
  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('actions').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toAction(r) : null;
  }
  async findByKey(workspaceId: string, key: string) {
    const r = await this.db.selectFrom('actions').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
    return r ? toAction(r) : null;
  }
  async save(a: ActionRecord) {
    const values = {
      key: a.key,
      description: a.description,
      kind: a.kind,
      config: JSON.stringify(a.config),
      secrets: JSON.stringify(a.secrets),
      llm_tool: a.llmTool ? 1 : 0,
      updated_at: a.updatedAt,
    };
    const r = await this.db.updateTable('actions').set(values).where('workspace_id', '=', a.workspaceId).where('id', '=', a.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .insertInto('actions')
        .values({ ...values, id: a.id, workspace_id: a.workspaceId, created_at: a.createdAt })
        .execute();
    }
  }
  async delete(workspaceId: string, id: string) {
    const r = await this.db.deleteFrom('actions').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
