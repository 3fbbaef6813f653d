import type { Channel, Locale } from '@kefu/protocol';
import { signVisitorToken } from '../adapters/auth/secrets.js';
import type { Contact, Conversation, Message, Workspace } from '../domain/entities.js';
import type { UseCaseContext } from './context.js';

export interface StartConversationInput {
  workspace: Workspace;
  channel: Channel;
  locale?: Locale | undefined;
  contact?: { externalId?: string | undefined; name?: string | undefined; email?: string | undefined } | undefined;
}

const VISITOR_TOKEN_DAYS = 30;
const LANGUAGE_OF_LOCALE = { 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant', en: 'en' } as const;

/**
 * Starts a conversation owned by the bot, greets the customer in their locale when the workspace has a
 * greeting, and returns a visitor token scoped to this one conversation.
 */
export async function startConversation(ctx: UseCaseContext, input: StartConversationInput) {
  const { workspace } = input;
  const now = ctx.clock.now().toISOString();
  let contact: Contact | null = null;
  if (input.contact?.externalId) contact = await ctx.store.contacts.findByExternalId(workspace.id, input.contact.externalId);
  const newContact = !contact;
  contact ??= {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    externalId: input.contact?.externalId ?? null,
    name: input.contact?.name ?? null,
    email: input.contact?.email ?? null,
    phone: null,
    attributes: {},
    createdAt: now,
    updatedAt: now,
  };
  const conversation: Conversation = {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    contactId: contact.id,
    channel: input.channel,
    status: 'bot',
    assigneeId: null,
    language: input.locale ? LANGUAGE_OF_LOCALE[input.locale] : null,
    handoffReason: null,
    lastMessageAt: null,
    lastMessagePreview: null,
    tags: [],
    priority: 'normal',
    dialogue: null,
    createdAt: now,
    updatedAt: now,
  };
  const greetingText = input.locale ? workspace.settings.greeting?.[input.locale] : undefined;
  const greeting: Message | null = greetingText
    ? {
        id: ctx.ids.next(),
        workspaceId: workspace.id,
        conversationId: conversation.id,
        authorType: 'bot',
        authorId: null,
        text: greetingText,
        parts: suggestionParts(workspace, input.locale),
        metadata: { kind: 'greeting' },
        clientMessageId: null,
        replyToId: null,
        createdAt: now,
      }
    : null;
  const stored = greeting ? { ...conversation, lastMessageAt: now, lastMessagePreview: greeting.text.slice(0, 120) } : conversation;

  await ctx.store.transaction(async (tx) => {
    if (newContact) await tx.contacts.create(contact);
    await tx.conversations.create(stored);
    if (greeting) await tx.messages.insert(greeting);
  });
  await ctx.bus.publish([
    { type: 'conversation.created', workspaceId: workspace.id, conversation: stored },
    ...(greeting ? [{ type: 'message.created' as const, workspaceId: workspace.id, message: greeting }] : []),
  ]);
  const visitorToken = signVisitorToken(
    {
      workspaceId: workspace.id,
      conversationId: conversation.id,
      contactId: contact.id,
      exp: Math.floor(ctx.clock.now().getTime() / 1000) + VISITOR_TOKEN_DAYS * 86400,
    },
    ctx.config.appSecret,
  );
  return { conversation: stored, contact, visitorToken, messages: greeting ? [greeting] : [] };
}

function suggestionParts(workspace: Workspace, locale: Locale | undefined): Message['parts'] {
  const suggestions = locale ? workspace.settings.suggestions?.[locale] : undefined;
  if (!suggestions?.length) return [];
  return [{ type: 'quick_replies', options: suggestions.slice(0, 10).map((s) => ({ label: s.slice(0, 200), value: s.slice(0, 500) })) }];
}
