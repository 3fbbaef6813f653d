import { z } from 'zod';
import { Id } from './common.js';

/** An `@mention` of a member in an internal note. */
export const Mention = z.object({
  id: Id,
  conversationId: Id,
  messageId: Id,
  /** Who wrote the note. */
  by: z.object({ id: z.string().nullable(), name: z.string().nullable() }),
  /** The note's text, shortened. */
  excerpt: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Mention = z.infer<typeof Mention>;

export const ListMentionsQuery = z.object({
  /** `true`: only those not yet read. */
  unread: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListMentionsQuery = z.infer<typeof ListMentionsQuery>;

export const MentionList = z.object({ items: z.array(Mention), unread: z.number().int() });
export type MentionList = z.infer<typeof MentionList>;

/** Marks the given mentions, or every mention in a conversation, as read. */
export const ReadMentionsBody = z.union([z.object({ ids: z.array(Id).min(1).max(200) }), z.object({ conversationId: Id })]);
export type ReadMentionsBody = z.infer<typeof ReadMentionsBody>;

export const ReadMentionsResponse = z.object({ read: z.number().int(), unread: z.number().int() });
export type ReadMentionsResponse = z.infer<typeof ReadMentionsResponse>;
