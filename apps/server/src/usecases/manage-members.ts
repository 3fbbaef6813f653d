import type { CreateMemberBody, UpdateMemberBody } from '@kefu/protocol';
import { hashPassword } from '../adapters/auth/secrets.js';
import type { Member } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';

// CRUD for members lives in one file: each operation is a few lines and they share their rules.

export const listMembers = (ctx: UseCaseContext, p: Principal) => ctx.store.members.list(p.workspaceId);

export async function createMember(ctx: UseCaseContext, p: Principal, body: CreateMemberBody): Promise<Member> {
  if (body.role === 'owner' && p.role !== 'owner') throw new DomainError('AUTH_FORBIDDEN', 'only an owner can add an owner');
  const email = body.email.toLowerCase();
  const existing = (await ctx.store.members.findByEmail(email)).find((m) => m.workspaceId === p.workspaceId);
  if (existing) throw new DomainError('MEMBER_EMAIL_TAKEN', 'a member with this e-mail already exists', { field: 'body.email' });
  const member: Member = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    email,
    name: body.name,
    role: body.role,
    passwordHash: await hashPassword(body.password),
    disabled: false,
    createdAt: ctx.clock.now().toISOString(),
  };
  await ctx.store.members.create(member);
  return member;
}

export async function updateMember(ctx: UseCaseContext, p: Principal, id: string, body: UpdateMemberBody): Promise<Member> {
  const member = await ctx.store.members.findById(p.workspaceId, id);
  if (!member) throw notFound('member', id);
  if ((member.role === 'owner' || body.role === 'owner') && p.role !== 'owner') {
    throw new DomainError('AUTH_FORBIDDEN', 'only an owner can change an owner');
  }
  const updated: Member = {
    ...member,
    name: body.name ?? member.name,
    role: body.role ?? member.role,
    disabled: body.disabled ?? member.disabled,
    passwordHash: body.password ? await hashPassword(body.password) : member.passwordHash,
    ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
    ...(body.skills !== undefined ? { skills: [...new Set(body.skills)] } : {}),
    // A disabled member takes no more conversations.
    ...(body.disabled ? { presence: 'offline' as const } : {}),
  };
  const losesOwner = member.role === 'owner' && !member.disabled && (updated.role !== 'owner' || updated.disabled);
  if (losesOwner && (await ctx.store.members.countActiveOwners(p.workspaceId)) <= 1) {
    throw new DomainError('MEMBER_LAST_OWNER', 'a workspace keeps at least one active owner');
  }
  await ctx.store.members.update(updated);
  if (body.capacity !== undefined || body.skills !== undefined || body.disabled !== undefined)
    await ctx.bus.publish([{ type: 'member.routing_changed', workspaceId: p.workspaceId, memberId: member.id }]);
  // A new password or a disabled account ends every open session of that member.
  if (body.password || updated.disabled) await ctx.store.sessions.deleteForMember(member.id);
  return updated;
}

/**
 * Sets the caller's presence: online agents get conversations from the queue (up to their capacity);
 * away keeps what they have and takes no more; offline puts their open conversations back in the queue.
 */
export async function setPresence(ctx: UseCaseContext, p: Principal, presence: 'online' | 'away' | 'offline'): Promise<Member> {
  const memberId = principalMemberId(p);
  if (!memberId) throw new DomainError('AUTH_FORBIDDEN', 'only members have a presence (not API keys)');
  const member = await ctx.store.members.findById(p.workspaceId, memberId);
  if (!member) throw notFound('member', memberId);
  const updated: Member = { ...member, presence };
  await ctx.store.members.update(updated);
  await ctx.bus.publish([{ type: 'member.routing_changed', workspaceId: p.workspaceId, memberId }]);
  return updated;
}
