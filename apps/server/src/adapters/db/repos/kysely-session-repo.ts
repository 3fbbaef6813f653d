import type { Kysely } from 'kysely';
import type { Session } from '../../../domain/entities.js';
import type { SessionRepo } from '../../../ports/store.js';
import type { Database } from '../schema.js';

export class KyselySessionRepo implements SessionRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: Session) {
    await this.db
      .insertInto('sessions')
      .values({ id: s.id, workspace_id: s.workspaceId, member_id: s.memberId, token_hash: s.tokenHash, created_at: s.createdAt, expires_at: s.expiresAt })
      .execute();
  }
  async findByTokenHash(hash: string) {
    const r = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    return r
      ? { id: r.id, workspaceId: r.workspace_id, memberId: r.member_id, tokenHash: r.token_hash, createdAt: r.created_at, expiresAt: r.expires_at }
      : null;
  }
  async delete(id: string) {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }
  async deleteForMember(memberId: string) {
    await this.db.deleteFrom('sessions').where('member_id', '=', memberId).execute();
  }
}
