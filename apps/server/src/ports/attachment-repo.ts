import type { StoredAttachment } from '../domain/attachments.js';

/** Files sent in conversations, with their bytes. */
export interface AttachmentRepo {
  insert(a: StoredAttachment): Promise<void>;
  /** With its bytes, when the id and the hash of the capability key (the only credential) both match. */
  findByKey(id: string, keyHash: string): Promise<StoredAttachment | null>;
  /** Removes a file whose message was not stored (the send failed, or repeated an earlier one). */
  delete(workspaceId: string, id: string): Promise<void>;
}
