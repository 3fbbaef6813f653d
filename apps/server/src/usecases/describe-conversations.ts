import type { Conversation as ConversationDto, Message as MessageDto } from '@kefu/protocol';
import type { Conversation, ConversationRating, Member, Message, Team } from '../domain/entities.js';
import type { Repos } from '../ports/store.js';
import { slaDto } from './sla-clocks.js';

/** Conversations as the API shows them: with the contact's and the assignee's names. */
export async function describeConversations(repos: Repos, workspaceId: string, convs: readonly Conversation[]): Promise<ConversationDto[]> {
  if (convs.length === 0) return [];
  // Most customer turns happen while the bot owns the conversation: no member to look up then.
  const members = convs.some((c) => c.assigneeId) ? new Map((await repos.members.list(workspaceId)).map((m) => [m.id, m])) : new Map<string, Member>();
  const teams = convs.some((c) => c.teamId) ? new Map((await repos.teams.list(workspaceId)).map((t) => [t.id, t])) : new Map<string, Team>();
  const contactIds = [...new Set(convs.map((c) => c.contactId))];
  const contacts = new Map((await Promise.all(contactIds.map((id) => repos.contacts.findById(workspaceId, id)))).filter((c) => c).map((c) => [c!.id, c!]));
  const ratings = await repos.quality.ratingsOf(
    workspaceId,
    convs.map((c) => c.id),
  );
  return convs.map((c) => {
    const assignee = c.assigneeId ? members.get(c.assigneeId) : undefined;
    return {
      id: c.id,
      workspaceId: c.workspaceId,
      contact: { id: c.contactId, name: contacts.get(c.contactId)?.name ?? null },
      channel: c.channel,
      status: c.status,
      assignee: assignee ? { id: assignee.id, name: assignee.name } : null,
      language: c.language,
      lastMessageAt: c.lastMessageAt,
      lastMessagePreview: c.lastMessagePreview,
      handoffReason: c.handoffReason,
      tags: c.tags,
      priority: c.priority,
      flow: c.dialogue?.flow ? { key: c.dialogue.flow.key, step: c.dialogue.flow.stepId, slots: c.dialogue.flow.slots } : null,
      handoff: c.handoff ?? null,
      queuedAt: c.queuedAt ?? null,
      team: c.teamId ? { id: c.teamId, name: teams.get(c.teamId)?.name ?? '' } : null,
      snoozedUntil: c.snoozedUntil ?? null,
      sla: slaDto(c.sla),
      rating: ratingDto(ratings.get(c.id)),
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  });
}

function ratingDto(r: ConversationRating | undefined): ConversationDto['rating'] {
  return r ? { score: r.score, comment: r.comment, ratedAt: r.updatedAt } : null;
}

export async function describeConversation(repos: Repos, c: Conversation): Promise<ConversationDto> {
  const [dto] = await describeConversations(repos, c.workspaceId, [c]);
  return dto!;
}

/** Author names come from members; the wire shape never exposes workspace ids of messages. */
export function toMessageDto(m: Message, authorName: string | null = null): MessageDto {
  return {
    id: m.id,
    conversationId: m.conversationId,
    author: { type: m.authorType, id: m.authorId, name: authorName },
    text: m.text,
    parts: m.parts,
    clientMessageId: m.clientMessageId,
    replyToId: m.replyToId,
    metadata: m.metadata,
    createdAt: m.createdAt,
  };
}

export async function describeMessages(repos: Repos, workspaceId: string, messages: readonly Message[]): Promise<MessageDto[]> {
  const needsMembers = messages.some((m) => m.authorType === 'agent' || m.authorType === 'note');
  const members = needsMembers ? new Map((await repos.members.list(workspaceId)).map((m) => [m.id, m.name])) : new Map<string, string>();
  return messages.map((m) => {
    const dto = toMessageDto(m, m.authorId ? (members.get(m.authorId) ?? null) : null);
    // A note names the members it @mentions (ids kept in its metadata; names as they are now).
    const mentioned = m.authorType === 'note' && Array.isArray(m.metadata.mentions) ? (m.metadata.mentions as string[]) : null;
    return mentioned ? { ...dto, mentions: mentioned.map((id) => ({ id, name: members.get(id) ?? '' })) } : dto;
  });
}

/** A conversation as its customer sees it: without the hand-off context (the bot's reading of them is for agents), team or snooze. */
export function conversationForVisitor(c: ConversationDto): ConversationDto {
  const { handoff: _handoff, team: _team, snoozedUntil: _snoozed, sla: _sla, ...rest } = c;
  return rest;
}

/** What a customer may see of a message: never the bot's trace (scores, other candidates). */

export function forVisitor(m: MessageDto): MessageDto {
  const { trace: _trace, ...metadata } = m.metadata;
  return { ...m, metadata };
}
