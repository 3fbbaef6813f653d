import type { Conversation, Member } from '../domain/entities.js';
import { notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';

/**
 * What an agent may see: conversations of no team, of their teams, and the ones assigned to them.
 * `null` means everything in the workspace (admins, owners, API keys). A conversation outside the
 * scope answers 404 exactly like one of another workspace, so its existence does not leak.
 */
export type AccessScope = { memberId: string; teamIds: string[] } | null;

export const isSupervisor = (role: string) => role === 'admin' || role === 'owner';

export async function memberScope(ctx: UseCaseContext, member: Pick<Member, 'id' | 'workspaceId' | 'role'>): Promise<AccessScope> {
  if (isSupervisor(member.role)) return null;
  return { memberId: member.id, teamIds: await ctx.store.teams.teamIdsOf(member.workspaceId, member.id) };
}

export async function accessScope(ctx: UseCaseContext, p: Principal): Promise<AccessScope> {
  return p.kind === 'member' ? memberScope(ctx, p.member) : null;
}

export function canSee(scope: AccessScope, conv: Pick<Conversation, 'teamId' | 'assigneeId'>): boolean {
  return scope === null || !conv.teamId || conv.assigneeId === scope.memberId || scope.teamIds.includes(conv.teamId);
}

/** The conversation if the caller may see it; 404 otherwise. */
export async function findVisibleConversation(ctx: UseCaseContext, p: Principal, id: string): Promise<Conversation> {
  const conv = await ctx.store.conversations.findById(p.workspaceId, id);
  if (!conv || !canSee(await accessScope(ctx, p), conv)) throw notFound('conversation', id);
  return conv;
}
