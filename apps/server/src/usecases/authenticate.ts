import type { LoginBody } from '@kefu/protocol';
import { hashPassword, newSecret, sha256, verifyPassword } from '../adapters/auth/secrets.js';
import type { Workspace } from '../domain/entities.js';
import { DomainError } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

const invalidCredentials = () => new DomainError('AUTH_INVALID_CREDENTIALS', 'e-mail or password is wrong');
// Verifying against a real hash when the e-mail is unknown keeps the response time the same,
// so the login form does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;

/** Password login: returns a session token (shown once, stored hashed) for one workspace. */
export async function login(ctx: UseCaseContext, body: LoginBody) {
  const email = body.email.toLowerCase();
  let candidates = (await ctx.store.members.findByEmail(email)).filter((m) => !m.disabled);
  if (body.workspace) {
    const ws = await ctx.store.workspaces.findBySlug(body.workspace);
    candidates = candidates.filter((m) => m.workspaceId === ws?.id);
  }
  // The password is checked before anything else is said, so the answer never reveals whether an
  // e-mail has accounts (or several).
  const matching: typeof candidates = [];
  for (const m of candidates) if (await verifyPassword(m.passwordHash, body.password)) matching.push(m);
  if (candidates.length === 0) {
    dummyHash ??= hashPassword('kefu-timing-equaliser');
    await verifyPassword(await dummyHash, body.password);
  }
  if (matching.length > 1) {
    throw new DomainError('AUTH_WORKSPACE_REQUIRED', 'this e-mail belongs to several workspaces; choose one', { field: 'body.workspace' });
  }
  const member = matching[0];
  if (!member) throw invalidCredentials();
  const workspace = (await ctx.store.workspaces.findById(member.workspaceId)) as Workspace;
  const token = newSecret('kfs_');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.SESSION_TTL_HOURS * 3600_000).toISOString();
  await ctx.store.sessions.create({
    id: ctx.ids.next(),
    workspaceId: member.workspaceId,
    memberId: member.id,
    tokenHash: sha256(token),
    createdAt: now.toISOString(),
    expiresAt,
  });
  return { token, expiresAt, member, workspace };
}

/** Resolves a bearer token (session `kfs_…` or API key `kfk_…`) to a principal, or null. */
export async function authenticate(ctx: UseCaseContext, token: string): Promise<Principal | null> {
  const now = ctx.clock.now();
  if (token.startsWith('kfs_')) {
    const session = await ctx.store.sessions.findByTokenHash(sha256(token));
    if (!session || session.expiresAt <= now.toISOString()) return null;
    const member = await ctx.store.members.findById(session.workspaceId, session.memberId);
    if (!member || member.disabled) return null;
    return { kind: 'member', workspaceId: member.workspaceId, role: member.role, member, sessionId: session.id };
  }
  if (token.startsWith('kfk_')) {
    const key = await ctx.store.apiKeys.findByHash(sha256(token));
    if (!key || key.revokedAt) return null;
    await ctx.store.apiKeys.touch(key.id, now.toISOString());
    return { kind: 'api_key', workspaceId: key.workspaceId, role: key.role, apiKey: key };
  }
  return null;
}

export async function logout(ctx: UseCaseContext, principal: Principal) {
  if (principal.kind === 'member') await ctx.store.sessions.delete(principal.sessionId);
}
