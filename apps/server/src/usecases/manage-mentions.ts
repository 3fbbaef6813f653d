import type { Mention as MentionDto, ReadMentionsBody } from '@kefu/protocol';
import type { Member, Mention } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { mentionedIds, parseMentions } from '../domain/parse-mentions.js';
import type { Repos } from '../ports/store.js';
import type { Principal, UseCaseContext } from './context.js';

/** How much of a note a mention shows (the list in the header, the live frame). */
export const MENTION_EXCERPT_CHARS = 140;

/** The active members a note's text @mentions, in order of first mention. */
export function membersMentioned(text: string, members: readonly Member[]): string[] {
  if (!text.includes('@')) return [];
  return mentionedIds(
    parseMentions(
      text,
      members.filter((m) => !m.disabled),
    ),
  );
}

export const mentionExcerpt = (text: string) => {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length > MENTION_EXCERPT_CHARS ? `${chars.slice(0, MENTION_EXCERPT_CHARS - 1).join('')}…` : chars.join('');
};

/** The caller's recent mentions (newest first) and how many are unread. Mentions belong to members: an API key has none. */
export async function listMyMentions(ctx: UseCaseContext, p: Principal, q: { unreadOnly: boolean; limit: number }) {
  const me = memberOf(p);
  const [items, unread] = await Promise.all([ctx.store.mentions.list(p.workspaceId, me.id, q), ctx.store.mentions.countUnread(p.workspaceId, me.id)]);
  return { items: await describeMentions(ctx.store, p.workspaceId, items), unread };
}

/** Marks the caller's mentions read: the given ones, or all of a conversation (opening it reads them). */
export async function readMyMentions(ctx: UseCaseContext, p: Principal, body: ReadMentionsBody) {
  const me = memberOf(p);
  if ('conversationId' in body && !(await ctx.store.conversations.findById(p.workspaceId, body.conversationId))) {
    throw notFound('conversation', body.conversationId);
  }
  const read = await ctx.store.mentions.markRead(p.workspaceId, me.id, body, ctx.clock.now().toISOString());
  return { read, unread: await ctx.store.mentions.countUnread(p.workspaceId, me.id) };
}

/** Mentions as the API shows them: with who wrote the note and what it says. */
export async function describeMentions(repos: Repos, workspaceId: string, mentions: readonly Mention[]): Promise<MentionDto[]> {
  if (mentions.length === 0) return [];
  const names = new Map((await repos.members.list(workspaceId)).map((m) => [m.id, m.name]));
  const messages = new Map<string, string>();
  for (const id of new Set(mentions.map((m) => m.messageId))) {
    const msg = await repos.messages.findById(workspaceId, id);
    messages.set(id, msg ? mentionExcerpt(msg.text) : '');
  }
  return mentions.map((m) => ({
    id: m.id,
    conversationId: m.conversationId,
    messageId: m.messageId,
    by: { id: m.byId, name: m.byId ? (names.get(m.byId) ?? null) : null },
    excerpt: messages.get(m.messageId) ?? '',
    createdAt: m.createdAt,
    readAt: m.readAt,
  }));
}

function memberOf(p: Principal): Member {
  if (p.kind !== 'member') throw new DomainError('AUTH_FORBIDDEN', 'mentions belong to members; sign in as one (an API key has none)');
  return p.member;
}
