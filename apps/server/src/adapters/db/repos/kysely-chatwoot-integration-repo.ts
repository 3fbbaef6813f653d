import type { Kysely, Selectable } from 'kysely';
import type { ChatwootIntegration } from '../../../domain/chatwoot-integration.js';
import type { ChatwootIntegrationRepo } from '../../../ports/store.js';
import type { ChatwootIntegrationsTable, Database } from '../schema.js';

export class KyselyChatwootIntegrationRepo implements ChatwootIntegrationRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(workspaceId: string) {
    const r = await this.db.selectFrom('chatwoot_integrations').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
    return r ? fromRow(r) : null;
  }
  async findByTokenHash(hash: string) {
    const r = await this.db.selectFrom('chatwoot_integrations').selectAll().where('webhook_token_hash', '=', hash).executeTakeFirst();
    return r ? fromRow(r) : null;
  }
  async save(i: ChatwootIntegration) {
    const row = {
      workspace_id: i.workspaceId,
      base_url: i.baseUrl,
      account_id: i.accountId,
      inbox_id: i.inboxId,
      api_access_token: i.apiAccessToken,
      webhook_secret: i.webhookSecret,
      webhook_token: i.webhookToken,
      webhook_token_hash: i.webhookTokenHash,
      enabled: i.enabled ? 1 : 0,
      created_at: i.createdAt,
      updated_at: i.updatedAt,
    };
    const { workspace_id: _, created_at: __, ...changes } = row;
    await this.db
      .insertInto('chatwoot_integrations')
      .values(row)
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet(changes))
      .execute();
  }
  async delete(workspaceId: string) {
    await this.db.deleteFrom('chatwoot_processed_messages').where('workspace_id', '=', workspaceId).execute();
    await this.db.deleteFrom('chatwoot_integrations').where('workspace_id', '=', workspaceId).execute();
  }
  async claimMessage(workspaceId: string, messageId: string, at: string) {
    const r = await this.db
      .insertInto('chatwoot_processed_messages')
      .values({ workspace_id: workspaceId, message_id: messageId, created_at: at })
      .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
}

const fromRow = (r: Selectable<ChatwootIntegrationsTable>): ChatwootIntegration => ({
  workspaceId: r.workspace_id,
  baseUrl: r.base_url,
  accountId: Number(r.account_id),
  inboxId: Number(r.inbox_id),
  apiAccessToken: r.api_access_token,
  webhookSecret: r.webhook_secret,
  webhookToken: r.webhook_token,
  webhookTokenHash: r.webhook_token_hash,
  enabled: Number(r.enabled) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
