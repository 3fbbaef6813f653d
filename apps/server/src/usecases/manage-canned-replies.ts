import { CANNED_REPLY_VARIABLES, type CreateCannedReplyBody, type ListCannedRepliesQuery, type UpdateCannedReplyBody } from '@kefu/protocol';
import type { CannedReply } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { renderTemplate, templatePaths } from '../engine/render-template.js';
import type { Principal, UseCaseContext } from './context.js';
import { principalMemberId } from './context.js';

/**
 * Canned replies: shared ones (no owner) every member sees and admins edit; personal ones only their
 * owner sees and edits — to anyone else they do not exist (404). A shortcut is unique in its scope.
 */
export async function listCannedReplies(ctx: UseCaseContext, p: Principal, q: ListCannedRepliesQuery): Promise<CannedReply[]> {
  return ctx.store.cannedReplies.list(p.workspaceId, {
    memberId: principalMemberId(p),
    limit: q.limit,
    ...(q.scope ? { scope: q.scope } : {}),
    ...(q.q ? { text: q.q } : {}),
    ...(q.language ? { language: q.language } : {}),
  });
}

export async function createCannedReply(ctx: UseCaseContext, p: Principal, body: CreateCannedReplyBody): Promise<CannedReply> {
  const ownerId = body.shared ? null : personalOwner(p);
  if (body.shared) requireAdmin(p);
  checkVariables(body.body);
  const now = ctx.clock.now().toISOString();
  const reply: CannedReply = {
    id: ctx.ids.next(),
    workspaceId: p.workspaceId,
    ownerId,
    shortcut: normalizeShortcut(body.shortcut),
    title: body.title,
    body: body.body,
    language: body.language ?? null,
    useCount: 0,
    createdBy: principalMemberId(p),
    createdAt: now,
    updatedAt: now,
  };
  await save(ctx, reply, true);
  return reply;
}

export async function updateCannedReply(ctx: UseCaseContext, p: Principal, id: string, body: UpdateCannedReplyBody): Promise<CannedReply> {
  const reply = await editable(ctx, p, id);
  if (body.body !== undefined) checkVariables(body.body);
  const updated: CannedReply = {
    ...reply,
    ...(body.shortcut !== undefined ? { shortcut: normalizeShortcut(body.shortcut) } : {}),
    ...(body.title !== undefined ? { title: body.title } : {}),
    ...(body.body !== undefined ? { body: body.body } : {}),
    ...(body.language !== undefined ? { language: body.language } : {}),
    updatedAt: ctx.clock.now().toISOString(),
  };
  await save(ctx, updated, false);
  return updated;
}

export async function deleteCannedReply(ctx: UseCaseContext, p: Principal, id: string): Promise<void> {
  await editable(ctx, p, id);
  await ctx.store.cannedReplies.delete(p.workspaceId, id);
}

/**
 * Fills a reply's variables for a conversation of the caller's workspace and counts the use. A value
 * that is missing (and has no `| fallback`) keeps its placeholder in the text, so the agent sees what to
 * fill in before sending, and is listed in `missing`.
 */
export async function renderCannedReply(ctx: UseCaseContext, p: Principal, id: string, conversationId: string): Promise<{ text: string; missing: string[] }> {
  const reply = await visible(ctx, p, id);
  const conv = await ctx.store.conversations.findById(p.workspaceId, conversationId);
  if (!conv) throw notFound('conversation', conversationId);
  const [contact, workspace] = await Promise.all([ctx.store.contacts.findById(p.workspaceId, conv.contactId), ctx.store.workspaces.findById(p.workspaceId)]);
  const scope = {
    contact: { name: blankToNull(contact?.name), email: blankToNull(contact?.email), attributes: contact?.attributes ?? {} },
    agent: { name: p.kind === 'member' ? p.member.name : null },
    workspace: { name: workspace?.name ?? null },
    conversation: { id: conv.id },
  };
  const { text, missing } = renderTemplate(reply.body, scope, { fallback: (path) => `{{${path}}}` });
  await ctx.store.cannedReplies.incrementUse(p.workspaceId, reply.id);
  return { text, missing: [...new Set(missing)] };
}

/**
 * Refuses a body that uses a variable the renderer does not know (a typo would otherwise reach a
 * customer as an empty gap), naming the first one.
 */
export function checkVariables(body: string): void {
  for (const m of body.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const placeholder = m[0];
    const [path] = templatePaths(placeholder);
    const name = (m[1] ?? '').split('|')[0]!.trim();
    if (path !== name || !isKnownVariable(name)) {
      throw new DomainError(
        'CANNED_REPLY_INVALID',
        `unknown variable ${placeholder}; use ${CANNED_REPLY_VARIABLES.map((v) => `{{${v}${v.endsWith('.') ? '<key>' : ''}}}`).join(', ')}`,
        {
          field: 'body.body',
          variable: name,
        },
      );
    }
  }
}

const isKnownVariable = (name: string) => CANNED_REPLY_VARIABLES.some((v) => (v.endsWith('.') ? name.startsWith(v) && name.length > v.length : name === v));

const blankToNull = (s: string | null | undefined) => (s?.trim() ? s : null);

/** Shortcuts are matched as typed after `/`, without regard to case. */
const normalizeShortcut = (s: string) => s.toLowerCase();

async function save(ctx: UseCaseContext, reply: CannedReply, isNew: boolean) {
  const clash = await ctx.store.cannedReplies.findByShortcut(reply.workspaceId, reply.ownerId, reply.shortcut);
  if ((clash && clash.id !== reply.id) || !(await ctx.store.cannedReplies.save(reply, isNew))) {
    throw new DomainError('CANNED_REPLY_SHORTCUT_TAKEN', `another ${reply.ownerId ? 'of your replies' : 'shared reply'} uses /${reply.shortcut}`, {
      field: 'body.shortcut',
    });
  }
}

/** A reply the caller can see: shared ones, and their own personal ones. */
async function visible(ctx: UseCaseContext, p: Principal, id: string): Promise<CannedReply> {
  const reply = await ctx.store.cannedReplies.find(p.workspaceId, id);
  if (!reply || (reply.ownerId !== null && reply.ownerId !== principalMemberId(p))) throw notFound('canned_reply', id);
  return reply;
}

/** A reply the caller may change: their own personal ones, and shared ones for admins. */
async function editable(ctx: UseCaseContext, p: Principal, id: string): Promise<CannedReply> {
  const reply = await visible(ctx, p, id);
  if (reply.ownerId === null) requireAdmin(p);
  return reply;
}

function requireAdmin(p: Principal) {
  if (p.role !== 'admin' && p.role !== 'owner') throw new DomainError('AUTH_FORBIDDEN', 'shared canned replies need the admin role or higher');
}

function personalOwner(p: Principal): string {
  const id = principalMemberId(p);
  if (!id) throw new DomainError('AUTH_FORBIDDEN', 'an API key has no personal replies; create a shared one (shared: true)');
  return id;
}
