import type { Kysely, Selectable } from 'kysely';
import type { ApiKey } from '../../../domain/entities.js';
import type { ApiKeyRepo } from '../../../ports/store.js';
import type { ApiKeysTable, Database } from '../schema.js';

const toKey = (r: Selectable<ApiKeysTable>): ApiKey => ({
  id: r.id,
  workspaceId: r.workspace_id,
  name: r.name,
  role: r.role as ApiKey['role'],
  prefix: r.prefix,
  keyHash: r.key_hash,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export class KyselyApiKeyRepo implements ApiKeyRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(k: ApiKey) {
    await this.db
      .insertInto('api_keys')
      .values({
        id: k.id,
        workspace_id: k.workspaceId,
        name: k.name,
        role: k.role,
        prefix: k.prefix,
        key_hash: k.keyHash,
        created_at: k.createdAt,
        last_used_at: k.lastUsedAt,
        revoked_at: k.revokedAt,
      })
      .execute();
  }
  async findByHash(hash: string) {
    const r = await this.db.selectFrom('api_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
    return r ? toKey(r) : null;
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toKey(r) : null;
  }
  async list(workspaceId: string) {
    return (await this.db.selectFrom('api_keys').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()).map(toKey);
  }
  async revoke(workspaceId: string, id: string, at: string) {
    await this.db.updateTable('api_keys').set({ revoked_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  }
  async touch(id: string, at: string) {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }
}
