import { z } from 'zod';
import { Id, Locale, WellFormedText } from './common.js';

/**
 * Canned replies (saved replies): text an agent inserts with `/shortcut` and edits before sending.
 * The body may hold variables filled for the open conversation:
 * `{{contact.name}}`, `{{contact.email}}`, `{{contact.attributes.<key>}}`, `{{agent.name}}`,
 * `{{workspace.name}}`, `{{conversation.id}}`, and a fallback for a missing value: `{{contact.name | 您好}}`.
 */
export const CANNED_REPLY_BODY_MAX = 5000;

/** The variables a canned reply may use; `contact.attributes.<key>` takes any attribute key. */
export const CANNED_REPLY_VARIABLES = ['contact.name', 'contact.email', 'contact.attributes.', 'agent.name', 'workspace.name', 'conversation.id'] as const;

/** Letters (any script), digits, `-` and `_`: what follows `/` in the composer. */
export const CannedReplyShortcut = WellFormedText.pipe(
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(32, 'must be at most 32 characters')
    .regex(/^[\p{L}\p{N}_-]+$/u, 'letters, digits, - and _ only'),
);

const Title = WellFormedText.pipe(z.string().trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'));
const Body = WellFormedText.pipe(
  z.string().trim().min(1, 'must not be empty').max(CANNED_REPLY_BODY_MAX, `must be at most ${CANNED_REPLY_BODY_MAX} characters`),
);

export const CannedReply = z.object({
  id: Id,
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  /** null: for any language. */
  language: Locale.nullable(),
  /** `shared`: every member of the workspace sees it (admins edit it); `personal`: only its owner. */
  scope: z.enum(['shared', 'personal']),
  ownerId: z.string().nullable(),
  useCount: z.number().int(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CannedReply = z.infer<typeof CannedReply>;

export const CreateCannedReplyBody = z.object({
  shortcut: CannedReplyShortcut,
  title: Title,
  body: Body,
  language: Locale.nullable().optional(),
  /** Shared replies need the admin role; personal ones belong to the member who creates them. */
  shared: z.boolean().default(false),
});
export type CreateCannedReplyBody = z.infer<typeof CreateCannedReplyBody>;

export const UpdateCannedReplyBody = z
  .object({ shortcut: CannedReplyShortcut, title: Title, body: Body, language: Locale.nullable() })
  .partial()
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export type UpdateCannedReplyBody = z.infer<typeof UpdateCannedReplyBody>;

export const ListCannedRepliesQuery = z.object({
  /** Substring of the shortcut, title or body. */
  q: WellFormedText.pipe(z.string().trim().max(100)).optional(),
  /** Replies for this language and those for any language. */
  language: Locale.optional(),
  scope: z.enum(['shared', 'personal']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});
export type ListCannedRepliesQuery = z.infer<typeof ListCannedRepliesQuery>;

export const CannedReplyList = z.object({ items: z.array(CannedReply) });
export type CannedReplyList = z.infer<typeof CannedReplyList>;

export const RenderCannedReplyBody = z.object({ conversationId: Id });
export type RenderCannedReplyBody = z.infer<typeof RenderCannedReplyBody>;

/** The reply filled for a conversation; `missing` names the variables that had no value (and no fallback). */
export const RenderedCannedReply = z.object({ text: z.string(), missing: z.array(z.string()) });
export type RenderedCannedReply = z.infer<typeof RenderedCannedReply>;
