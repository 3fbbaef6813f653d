import type { Kysely, Selectable } from 'kysely';
import type { Webhook, WebhookDelivery } from '../../../domain/webhooks.js';
import type { WebhookRepo } from '../../../ports/store.js';
import { parseJson, readCursor, toPage } from '../rows.js';
import type { Database, WebhookDeliveriesTable, WebhooksTable } from '../schema.js';

const toWebhook = (r: Selectable<WebhooksTable>): Webhook => ({
  id: r.id,
  workspaceId: r.workspace_id,
  url: r.url,
  secret: r.secret,
  events: parseJson<string[]>(r.events, []),
  enabled: Number(r.enabled) === 1,
  description: r.description,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toDelivery = (r: Selectable<WebhookDeliveriesTable>): WebhookDelivery => ({
  id: r.id,
  webhookId: r.webhook_id,
  workspaceId: r.workspace_id,
  eventType: r.event_type,
  payload: r.payload,
  status: r.status as WebhookDelivery['status'],
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
  lastError: r.last_error,
  createdAt: r.created_at,
  deliveredAt: r.delivered_at,
});

const outcome = (d: WebhookDelivery) => ({
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  last_status_code: d.lastStatusCode,
  last_error: d.lastError,
  delivered_at: d.deliveredAt,
});

export class KyselyWebhookRepo implements WebhookRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async list(workspaceId: string) {
    return (await this.db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute()).map(
      toWebhook,
    );
  }
  async find(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toWebhook(r) : null;
  }
  async save(w: Webhook) {
    const values = {
      url: w.url,
      secret: w.secret,
      events: JSON.stringify(w.events),
      enabled: w.enabled ? 1 : 0,
      description: w.description,
      updated_at: w.updatedAt,
    };
    const r = await this.db.updateTable('webhooks').set(values).where('workspace_id', '=', w.workspaceId).where('id', '=', w.id).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await this.db
        .insertInto('webhooks')
        .values({ ...values, id: w.id, workspace_id: w.workspaceId, created_at: w.createdAt })
        .execute();
    }
  }
  async delete(workspaceId: string, id: string) {
    // Deliveries first, explicitly: the cascade needs SQLite's foreign_keys pragma.
    await this.db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId).where('webhook_id', '=', id).execute();
    const r = await this.db.deleteFrom('webhooks').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
  async insertDeliveries(ds: readonly WebhookDelivery[]) {
    if (ds.length === 0) return;
    await this.db
      .insertInto('webhook_deliveries')
      .values(
        ds.map((d) => ({
          ...outcome(d),
          id: d.id,
          webhook_id: d.webhookId,
          workspace_id: d.workspaceId,
          event_type: d.eventType,
          payload: d.payload,
          created_at: d.createdAt,
        })),
      )
      .execute();
  }
  async findDelivery(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toDelivery(r) : null;
  }
  async listDeliveries(
    workspaceId: string,
    webhookId: string,
    q: { status?: WebhookDelivery['status'] | undefined; cursor?: string | undefined; limit: number },
  ) {
    let query = this.db.selectFrom('webhook_deliveries').selectAll().where('workspace_id', '=', workspaceId).where('webhook_id', '=', webhookId);
    if (q.status) query = query.where('status', '=', q.status);
    // Ids are UUIDv7: their order is the order of creation.
    if (q.cursor) query = query.where('id', '<', readCursor(q.cursor, 1)[0]!);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    return toPage(rows, q.limit, toDelivery, (d) => [d.id]);
  }
  async dueDeliveries(now: string, limit: number) {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    return rows.map(toDelivery);
  }
  async claimDelivery(id: string, now: string, leaseUntil: string) {
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async saveDelivery(d: WebhookDelivery) {
    await this.db.updateTable('webhook_deliveries').set(outcome(d)).where('workspace_id', '=', d.workspaceId).where('id', '=', d.id).execute();
  }
}
