import type { Channel, Locale } from '@kefu/protocol';
import { signVisitorToken } from '../adapters/auth/secrets.js';
import type { Contact, Conversation, Message, Workspace } from '../domain/entities.js';
import type { UseCaseContext } from './context.js';
import { verifyIdentity } from './identity-secret.js';

export interface StartConversationInput {
  workspace: Workspace;
  channel: Channel;
  locale?: Locale | undefined;
  contact?:
    | {
        externalId?: string | undefined;
        name?: string | undefined;
        email?: string | undefined;
        phone?: string | undefined;
        attributes?: Record<string, string | number | boolean> | undefined;
        hash?: string | undefined;
      }
    | undefined;
  /** The caller authenticated itself (an API key, a channel adapter): its `externalId` is trusted without a hash. */
  trustContact?: boolean;
}

const VISITOR_TOKEN_DAYS = 30;
const LANGUAGE_OF_LOCALE = { 'zh-CN': 'zh-Hans', 'zh-TW': 'zh-Hant', en: 'en' } as const;

const OPEN: Conversation['status'][] = ['bot', 'queued', 'assigned'];
/** How much of a resumed conversation comes back with the start answer. */
const RESUMED_HISTORY = 200;

/**
 * Starts a conversation owned by the bot, greets the customer in their locale when the workspace has a
 * greeting, and returns a visitor token scoped to this one conversation.
 *
 * Identity: only a contact whose `externalId` comes with a valid `hash` (identity verification) is linked
 * to that id, and their latest open conversation is resumed instead of starting another. Without a hash
 * the visitor is a new contact: the name and e-mail they gave are shown to agents (they reach nobody
 * else's data), the claimed id is kept only as an unverified attribute, so nobody sees someone else's
 * conversations by claiming their id; a wrong hash is refused (IDENTITY_INVALID).
 */
export async function startConversation(ctx: UseCaseContext, input: StartConversationInput) {
  const { workspace } = input;
  const now = ctx.clock.now().toISOString();
  const claimed = input.contact;
  const verifiedId =
    claimed?.hash !== undefined
      ? await verifyIdentity(ctx, workspace.id, claimed.externalId, claimed.hash)
      : input.trustContact
        ? (claimed?.externalId ?? null)
        : null;
  let contact: Contact | null = null;
  if (verifiedId) contact = await ctx.store.contacts.findByExternalId(workspace.id, verifiedId);
  // Channel adapters keep their own threads; only the widget's verified visitor resumes.
  if (contact && claimed?.hash !== undefined) {
    const open = await ctx.store.conversations.list(workspace.id, { contactId: contact.id, status: OPEN, limit: 1 });
    const latest = open.items[0];
    if (latest) {
      const history = (await ctx.store.messages.recent(workspace.id, latest.id, RESUMED_HISTORY)).reverse();
      return { conversation: latest, contact, visitorToken: visitorToken(ctx, latest, contact), messages: history, resumed: true };
    }
  }
  const newContact = !contact;
  contact ??= {
    id: ctx.ids.next(),
    workspaceId: workspace.id,
    externalId: verifiedId,
    name: claimed?.name ?? null,
    email: claimed?.email ?? null,
    phone: claimed?.phone ?? null,
    attributes: { ...(claimed?.attributes ?? {}), ...(verifiedId ? {} : unverified(claimed)) },
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
  return { conversation: stored, contact, visitorToken: visitorToken(ctx, conversation, contact), messages: greeting ? [greeting] : [], resumed: false };
}

function visitorToken(ctx: UseCaseContext, conversation: Conversation, contact: Contact) {
  return signVisitorToken(
    {
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      contactId: contact.id,
      exp: Math.floor(ctx.clock.now().getTime() / 1000) + VISITOR_TOKEN_DAYS * 86400,
    },
    ctx.config.appSecret,
  );
}

/** The id an unverified visitor claimed: kept for agents, marked as unverified, never linked. */
function unverified(claimed: StartConversationInput['contact']): Record<string, string> {
  return claimed?.externalId ? { unverifiedExternalId: claimed.externalId } : {};
}

function suggestionParts(workspace: Workspace, locale: Locale | undefined): Message['parts'] {
  const suggestions = locale ? workspace.settings.suggestions?.[locale] : undefined;
  if (!suggestions?.length) return [];
  return [{ type: 'quick_replies', options: suggestions.slice(0, 10).map((s) => ({ label: s.slice(0, 200), value: s.slice(0, 500) })) }];
}
