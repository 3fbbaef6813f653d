import type { AttachmentType } from '@kefu/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { StoredAttachment } from '../../../domain/attachments.js';
import type { AttachmentRepo } from '../../../ports/attachment-repo.js';
import type { AttachmentsTable, Database } from '../schema.js';

const toAttachment = (r: Selectable<AttachmentsTable>): StoredAttachment => ({
  id: r.id,
  workspaceId: r.workspace_id,
  conversationId: r.conversation_id,
  name: r.name,
  mimeType: r.mime_type as AttachmentType,
  size: Number(r.size),
  sha256: r.sha256,
  keyHash: r.key_hash,
  width: r.width === null ? null : Number(r.width),
  height: r.height === null ? null : Number(r.height),
  uploader: { type: r.uploader_type as StoredAttachment['uploader']['type'], id: r.uploader_id },
  createdAt: r.created_at,
  bytes: r.bytes,
});

export class KyselyAttachmentRepo implements AttachmentRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(a: StoredAttachment) {
    await this.db
      .insertInto('attachments')
      .values({
        id: a.id,
        workspace_id: a.workspaceId,
        conversation_id: a.conversationId,
        name: a.name,
        mime_type: a.mimeType,
        size: a.size,
        sha256: a.sha256,
        key_hash: a.keyHash,
        width: a.width,
        height: a.height,
        // Both drivers bind a Buffer as binary (BLOB / BYTEA).
        bytes: Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength),
        uploader_type: a.uploader.type,
        uploader_id: a.uploader.id,
        created_at: a.createdAt,
      })
      .execute();
  }

  async findByKey(id: string, keyHash: string) {
    const r = await this.db.selectFrom('attachments').selectAll().where('id', '=', id).where('key_hash', '=', keyHash).executeTakeFirst();
    return r ? toAttachment(r) : null;
  }

  async delete(workspaceId: string, id: string) {
    await this.db.deleteFrom('attachments').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
  }
}
