import type { Kysely } from 'kysely';
import type { ChannelThreadRepo } from '../../../ports/store.js';
import type { Database } from '../schema.js';

export class KyselyChannelThreadRepo implements ChannelThreadRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(workspaceId: string, channel: string, externalId: string) {
    const r = await this.db
      .selectFrom('channel_threads')
      .select('conversation_id')
      .where('workspace_id', '=', workspaceId)
      .where('channel', '=', channel)
      .where('external_id', '=', externalId)
      .executeTakeFirst();
    return r?.conversation_id ?? null;
  }
  async save(workspaceId: string, channel: string, externalId: string, conversationId: string, at: string) {
    await this.db
      .insertInto('channel_threads')
      .values({ workspace_id: workspaceId, channel, external_id: externalId, conversation_id: conversationId, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'external_id']).doUpdateSet({ conversation_id: conversationId, updated_at: at }))
      .execute();
  }
}
