import { createHash, randomBytes } from 'node:crypto';
import type { AttachmentType, MessagePart } from '@kefu/protocol';
import { fileTypeFromBuffer } from 'file-type';
import { attachmentPath, classifyAttachment, type StoredAttachment, sanitizeFileName } from '../domain/attachments.js';
import type { Conversation, Member, Message, Workspace } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { imageSize } from '../domain/image-size.js';
import type { TurnResult } from '../engine/run-turn.js';
import type { UseCaseContext } from './context.js';
import { canSee, memberScope } from './conversation-access.js';
import { postAgentMessage } from './post-agent-message.js';
import { assertTextLength, postInboundMessage } from './post-inbound-message.js';

export interface ReceivedFile {
  /** At most `limits.maxBytes`: the route stops reading there. */
  bytes: Buffer;
  /** The name as sent (cleaned here). */
  name: string;
  /** The MIME type the sender declared ('' for none). */
  declaredType: string;
}

export interface UploadAttachmentInput {
  workspace: Workspace;
  conversationId: string;
  file: ReceivedFile;
  /** The caption; '' for none. */
  text: string;
  clientMessageId?: string | undefined;
  /** The customer (visitor API) or an agent replying (agent API). */
  sender: { type: 'contact' } | { type: 'member'; member: Member };
  limits: { maxBytes: number; types: readonly AttachmentType[] };
}

export interface UploadAttachmentResult {
  message: Message;
  /** The bot's answer to the caption, when it took a turn. */
  replies: Message[];
  conversation: Conversation;
  turn: TurnResult | null;
  duplicate: boolean;
}

/**
 * A file sent in a conversation: checked (size, real type from its bytes, name), stored, and posted as a
 * message with an `attachment` part and the caption as its text. From a customer it is an inbound message
 * (the bot answers a caption as any message; a file alone it leaves to the agents); from an agent it is
 * a reply that takes ownership, as a typed one does. A retry with the same clientMessageId returns the
 * first message and stores no second file.
 */
export async function uploadAttachment(ctx: UseCaseContext, input: UploadAttachmentInput): Promise<UploadAttachmentResult> {
  const { bytes } = input.file;
  if (bytes.length === 0) throw new DomainError('ATTACHMENT_EMPTY', 'the file is empty', { field: 'file' });
  if (bytes.length > input.limits.maxBytes) throw attachmentTooLarge(input.limits.maxBytes);
  const cleanName = sanitizeFileName(input.file.name);
  if (cleanName === null) throw new DomainError('ATTACHMENT_NAME_INVALID', 'the file name is not well-formed Unicode', { field: 'file' });
  const sniffed = (await fileTypeFromBuffer(bytes))?.mime ?? null;
  const { mimeType, name } = classifyAttachment({ bytes, sniffed, declaredType: input.file.declaredType, name: cleanName, allowed: input.limits.types });
  assertTextLength(input.text, ctx.config.MESSAGE_MAX_CHARS);

  const workspaceId = input.workspace.id;
  const conv = await ctx.store.conversations.findById(workspaceId, input.conversationId);
  if (!conv) throw notFound('conversation', input.conversationId);
  if (input.sender.type === 'member' && !canSee(await memberScope(ctx, input.sender.member), conv)) throw notFound('conversation', input.conversationId);

  const post = (parts: MessagePart[]) => postWith(ctx, input, parts);
  if (input.clientMessageId) {
    const authorType = input.sender.type === 'contact' ? 'contact' : 'agent';
    // A retry of a stored send: the first message answers, and the file is not stored twice.
    if (await ctx.store.messages.findByClientId(conv.id, authorType, input.clientMessageId)) return { ...(await post([])), duplicate: true };
  }

  const key = randomBytes(16).toString('base64url');
  const dimensions = mimeType.startsWith('image/') ? imageSize(mimeType, bytes) : null;
  const attachment: StoredAttachment = {
    id: ctx.ids.next(),
    workspaceId,
    conversationId: conv.id,
    name,
    mimeType,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    keyHash: hashAttachmentKey(key),
    width: dimensions?.width ?? null,
    height: dimensions?.height ?? null,
    uploader: input.sender.type === 'contact' ? { type: 'contact', id: conv.contactId } : { type: 'member', id: input.sender.member.id },
    createdAt: ctx.clock.now().toISOString(),
    bytes,
  };
  await ctx.store.attachments.insert(attachment);
  const part: MessagePart = {
    type: 'attachment',
    url: attachmentPath(attachment.id, key, name),
    name,
    mimeType,
    size: attachment.size,
    ...(dimensions ?? {}),
  };
  let result: UploadAttachmentResult;
  try {
    result = await post([part]);
  } catch (err) {
    await forget(ctx, attachment);
    throw err;
  }
  // Another request with the same clientMessageId was stored first: its file is the one kept.
  const ours = result.message.parts.some((p) => p.type === 'attachment' && p.url === part.url);
  if (!ours) await forget(ctx, attachment);
  return { ...result, duplicate: !ours };
}

/** Capability keys are stored as their SHA-256 only: a copy of the database does not open the files. */
export const hashAttachmentKey = (key: string) => createHash('sha256').update(key).digest('hex');

export const attachmentTooLarge = (maxBytes: number) =>
  new DomainError('ATTACHMENT_TOO_LARGE', `the file is larger than ${maxBytes} bytes`, { field: 'file', limit: maxBytes });

async function postWith(ctx: UseCaseContext, input: UploadAttachmentInput, parts: MessagePart[]): Promise<UploadAttachmentResult> {
  const clientMessageId = input.clientMessageId;
  if (input.sender.type === 'contact') {
    return postInboundMessage(ctx, { workspace: input.workspace, conversationId: input.conversationId, text: input.text, parts, clientMessageId });
  }
  const r = await postAgentMessage(ctx, {
    workspaceId: input.workspace.id,
    member: input.sender.member,
    conversationId: input.conversationId,
    text: input.text,
    kind: 'reply',
    parts,
    clientMessageId,
  });
  return { message: r.message, replies: [], conversation: r.conversation, turn: null, duplicate: false };
}

async function forget(ctx: UseCaseContext, a: StoredAttachment) {
  await ctx.store.attachments.delete(a.workspaceId, a.id).catch((err) => ctx.log.warn({ err, attachmentId: a.id }, 'unused attachment not deleted'));
}
