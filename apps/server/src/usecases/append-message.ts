import type { Conversation, Message } from '../domain/entities.js';
import type { DomainEvent } from '../domain/events.js';

const PREVIEW_CHARS = 120;

/** Records a message on the conversation row (last activity and preview) and the matching event. */
export function touchConversation(conv: Conversation, m: Message): Conversation {
  if (m.authorType === 'note') return { ...conv, updatedAt: m.createdAt };
  return { ...conv, lastMessageAt: m.createdAt, lastMessagePreview: m.text.slice(0, PREVIEW_CHARS), updatedAt: m.createdAt };
}

export const messageCreated = (m: Message): DomainEvent => ({ type: 'message.created', workspaceId: m.workspaceId, message: m });
