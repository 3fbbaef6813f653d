import type { Kysely, Selectable } from 'kysely';
import type { Intent, IntentModelRun } from '../../../domain/entities.js';
import type { IntentRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database, IntentModelsTable, IntentsTable } from '../schema.js';

const toIntent = (r: Selectable<IntentsTable>): Intent => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  description: r.description,
  examples: parseJson<string[]>(r.examples, []),
  action: r.action ? parseJson<Intent['action']>(r.action, null) : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const RUN_COLUMNS = ['id', 'workspace_id', 'version', 'status', 'progress', 'report', 'error', 'created_at', 'finished_at'] as const;
const toRun = (r: Omit<Selectable<IntentModelsTable>, 'model'>): IntentModelRun => ({
  id: r.id,
  workspaceId: r.workspace_id,
  version: Number(r.version),
  status: r.status as IntentModelRun['status'],
  progress: Number(r.progress),
  report: parseJson<Record<string, unknown>>(r.report, {}),
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

export class KyselyIntentRepo implements IntentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(workspaceId: string) {
    const rows = await this.db.selectFrom('intents').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
    return rows.map(toIntent);
  }
  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('intents').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toIntent(r) : null;
  }
  async findByName(workspaceId: string, name: string) {
    const r = await this.db.selectFrom('intents').selectAll().where('workspace_id', '=', workspaceId).where('name', '=', name).executeTakeFirst();
    return r ? toIntent(r) : null;
  }
  async save(i: Intent) {
    const values = {
      name: i.name,
      description: i.description,
      examples: JSON.stringify(i.examples),
      action: i.action ? JSON.stringify(i.action) : null,
      updated_at: i.updatedAt,
    };
    const r = await this.db.updateTable('intents').set(values).where('workspace_id', '=', i.workspaceId).where('id', '=', i.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .insertInto('intents')
        .values({ ...values, id: i.id, workspace_id: i.workspaceId, created_at: i.createdAt })
        .execute();
    }
  }
  async delete(workspaceId: string, id: string) {
    const r = await this.db.deleteFrom('intents').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async listRuns(workspaceId: string, limit: number) {
    const rows = await this.db
      .selectFrom('intent_models')
      .select(RUN_COLUMNS)
      .where('workspace_id', '=', workspaceId)
      .orderBy('version', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRun);
  }
  async findRun(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('intent_models').select(RUN_COLUMNS).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toRun(r) : null;
  }
  async saveRun(run: IntentModelRun, model?: string) {
    const values = {
      status: run.status,
      progress: run.progress,
      report: JSON.stringify(run.report),
      error: run.error,
      finished_at: run.finishedAt,
      ...(model !== undefined ? { model } : {}),
    };
    const r = await this.db.updateTable('intent_models').set(values).where('workspace_id', '=', run.workspaceId).where('id', '=', run.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .insertInto('intent_models')
        .values({ ...values, id: run.id, workspace_id: run.workspaceId, version: run.version, created_at: run.createdAt })
        .execute();
    }
  }
  async latestReady(workspaceId: string) {
    const r = await this.db
      .selectFrom('intent_models')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'ready')
      .where('model', 'is not', null)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? { run: toRun(r), model: r.model! } : null;
  }
}
