import { z } from 'zod';
import { Cursor, Id, Language, WellFormedText } from './common.js';
import { TurnTrace } from './trace.js';

export * from './attachments.js';

export const AuthorType = z.enum(['contact', 'bot', 'agent', 'system', 'note']);
export type AuthorType = z.infer<typeof AuthorType>;

const Label = WellFormedText.pipe(z.string().min(1).max(200));
const Url = z
  .string()
  .max(2048)
  .regex(/^(https?:\/\/|\/)/, 'must be an http(s) or root-relative URL');

export const Button = z.object({ label: Label, value: z.string().max(500).optional(), url: Url.optional() });

/** Rich parts that travel with the text of a message. */
export const MessagePart = z.discriminatedUnion('type', [
  z.object({ type: z.literal('buttons'), buttons: z.array(Button).min(1).max(10) }),
  z.object({
    type: z.literal('quick_replies'),
    options: z
      .array(z.object({ label: Label, value: z.string().max(500) }))
      .min(1)
      .max(10),
  }),
  z.object({
    type: z.literal('card'),
    title: Label,
    text: z.string().max(2000).optional(),
    imageUrl: Url.optional(),
    url: Url.optional(),
    buttons: z.array(Button).max(5).optional(),
  }),
  z.object({
    type: z.literal('attachment'),
    /** A file sent in the conversation is served from a root-relative capability URL (`/v1/attachments/…`). */
    url: Url,
    name: Label,
    mimeType: z.string().max(200),
    /** Bytes. */
    size: z.number().int().nonnegative().optional(),
    /** Images: pixels, so clients can reserve the thumbnail's space before it loads. */
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
  }),
  z.object({
    type: z.literal('sources'),
    sources: z.array(
      z.object({
        id: z.string(),
        externalId: z.string().nullable(),
        title: z.string(),
        /** `chunk`: a passage of an imported document; `title` is the document and its heading path. */
        kind: z.enum(['faq', 'chunk']).optional(),
        documentId: z.string().optional(),
      }),
    ),
  }),
]);
export type MessagePart = z.infer<typeof MessagePart>;

export const Message = z.object({
  id: Id,
  conversationId: Id,
  author: z.object({ type: AuthorType, id: z.string().nullable(), name: z.string().nullable() }),
  text: z.string(),
  parts: z.array(MessagePart),
  clientMessageId: z.string().nullable(),
  replyToId: z.string().nullable(),
  metadata: z
    .object({
      trace: TurnTrace.optional(),
      language: Language.optional(),
      kind: z.string().optional(),
    })
    .catchall(z.unknown()),
  /** Notes: the members the note @mentions. */
  mentions: z.array(z.object({ id: Id, name: z.string() })).optional(),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

/** A client-chosen id that makes a send idempotent: the same id twice stores one message. */
export const ClientMessageId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\w.:-]+$/, 'letters, digits, and _.:- only');

/**
 * Text of a message. The length limit is a runtime setting (MESSAGE_MAX_CHARS) and is checked by the
 * server, which answers 413 MESSAGE_TOO_LONG; the schema only bounds what can be parsed at all.
 */
export const MessageText = WellFormedText.pipe(z.string().trim().min(1, 'must not be empty'));

export const SendMessageBody = z.object({
  text: MessageText,
  clientMessageId: ClientMessageId.optional(),
});
export type SendMessageBody = z.infer<typeof SendMessageBody>;

/**
 * The text fields of a file upload (`multipart/form-data`, the file in the `file` part). `text` is an
 * optional caption, limited like a message's text (MESSAGE_MAX_CHARS).
 */
export const AttachmentUploadFields = z.object({
  text: WellFormedText.pipe(z.string().trim()).optional(),
  clientMessageId: ClientMessageId.optional(),
});
export type AttachmentUploadFields = z.infer<typeof AttachmentUploadFields>;

export const AgentMessageBody = z.object({
  text: MessageText,
  clientMessageId: ClientMessageId.optional(),
  /** `note` is visible to agents only and never reaches the customer. */
  kind: z.enum(['reply', 'note']).default('reply'),
  parts: z.array(MessagePart).max(10).optional(),
});
export type AgentMessageBody = z.infer<typeof AgentMessageBody>;

export const ListMessagesQuery = z.object({
  cursor: Cursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesQuery>;

export const MessagePage = z.object({ items: z.array(Message), nextCursor: z.string().nullable() });
export type MessagePage = z.infer<typeof MessagePage>;
