import type { Presence, Role } from '@kefu/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { Member } from '../../../domain/entities.js';
import type { MemberRepo } from '../../../ports/store.js';
import { parseJson } from '../rows.js';
import type { Database, MembersTable } from '../schema.js';

const toMember = (r: Selectable<MembersTable>): Member => ({
  id: r.id,
  workspaceId: r.workspace_id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  passwordHash: r.password_hash,
  disabled: Boolean(r.disabled),
  presence: r.presence as Presence,
  capacity: Number(r.capacity),
  skills: parseJson<string[]>(r.skills, []),
  lastAssignedAt: r.last_assigned_at,
  createdAt: r.created_at,
});

export class KyselyMemberRepo implements MemberRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async create(m: Member) {
    await this.db
      .insertInto('members')
      .values({
        id: m.id,
        workspace_id: m.workspaceId,
        email: m.email,
        name: m.name,
        role: m.role,
        password_hash: m.passwordHash,
        disabled: m.disabled ? 1 : 0,
        created_at: m.createdAt,
      })
      .execute();
  }
  async findById(workspaceId: string, id: string) {
    const r = await this.db.selectFrom('members').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return r ? toMember(r) : null;
  }
  async findByEmail(email: string) {
    return (await this.db.selectFrom('members').selectAll().where('email', '=', email).execute()).map(toMember);
  }
  async list(workspaceId: string) {
    return (await this.db.selectFrom('members').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute()).map(toMember);
  }
  async update(m: Member) {
    await this.db
      .updateTable('members')
      .set({
        name: m.name,
        role: m.role,
        password_hash: m.passwordHash,
        disabled: m.disabled ? 1 : 0,
        ...(m.presence ? { presence: m.presence } : {}),
        ...(m.capacity !== undefined ? { capacity: m.capacity } : {}),
        ...(m.skills ? { skills: JSON.stringify(m.skills) } : {}),
        ...(m.lastAssignedAt !== undefined ? { last_assigned_at: m.lastAssignedAt } : {}),
      })
      .where('workspace_id', '=', m.workspaceId)
      .where('id', '=', m.id)
      .execute();
  }
  async countActiveOwners(workspaceId: string) {
    const r = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('role', '=', 'owner')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
