import type { StoredAttachment } from '../domain/attachments.js';
import { DomainError } from '../domain/errors.js';
import type { UseCaseContext } from './context.js';
import { hashAttachmentKey } from './upload-attachment.js';

/**
 * A file sent in a conversation, by its id and the capability key from its URL. An unknown id and a wrong
 * key answer the same ATTACHMENT_NOT_FOUND, so neither tells that the file exists (and a wrong key never
 * loads the file's bytes).
 */
export async function readAttachment(ctx: UseCaseContext, id: string, key: string): Promise<StoredAttachment> {
  const a = await ctx.store.attachments.findByKey(id, hashAttachmentKey(key));
  if (!a) throw new DomainError('ATTACHMENT_NOT_FOUND', 'attachment not found', {});
  return a;
}
