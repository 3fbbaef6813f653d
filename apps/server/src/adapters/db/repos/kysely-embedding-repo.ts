import type { Kysely } from 'kysely';
import type { EmbeddingRepo } from '../../../ports/store.js';
import type { Database } from '../schema.js';

/** Rows per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 500;

export class KyselyEmbeddingRepo implements EmbeddingRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async find(workspaceId: string, model: string, hashes: readonly string[]) {
    const found = new Map<string, Float32Array>();
    for (let i = 0; i < hashes.length; i += BATCH) {
      const rows = await this.db
        .selectFrom('embeddings')
        .select(['text_hash', 'dims', 'vector'])
        .where('workspace_id', '=', workspaceId)
        .where('model', '=', model)
        .where('text_hash', 'in', hashes.slice(i, i + BATCH))
        .execute();
      for (const r of rows) {
        const v = decodeVector(r.vector, r.dims);
        if (v) found.set(r.text_hash, v);
      }
    }
    return found;
  }

  async save(workspaceId: string, model: string, vectors: ReadonlyMap<string, Float32Array>, at: string) {
    const rows = [...vectors].map(([hash, v]) => ({
      workspace_id: workspaceId,
      model,
      text_hash: hash,
      dims: v.length,
      vector: encodeVector(v),
      created_at: at,
    }));
    for (let i = 0; i < rows.length; i += BATCH / 5) {
      await this.db
        .insertInto('embeddings')
        .values(rows.slice(i, i + BATCH / 5))
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'model', 'text_hash']).doUpdateSet((eb) => ({ dims: eb.ref('excluded.dims'), vector: eb.ref('excluded.vector') })),
        )
        .execute();
    }
  }

  async prune(workspaceId: string, model: string, keep: ReadonlySet<string>) {
    const stored = await this.db.selectFrom('embeddings').select('text_hash').where('workspace_id', '=', workspaceId).where('model', '=', model).execute();
    const gone = stored.map((r) => r.text_hash).filter((h) => !keep.has(h));
    for (let i = 0; i < gone.length; i += BATCH) {
      await this.db
        .deleteFrom('embeddings')
        .where('workspace_id', '=', workspaceId)
        .where('model', '=', model)
        .where('text_hash', 'in', gone.slice(i, i + BATCH))
        .execute();
    }
    return gone.length;
  }
}

export function encodeVector(v: Float32Array): string {
  const bytes = new Uint8Array(v.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < v.length; i++) view.setFloat32(i * 4, v[i]!, true);
  return Buffer.from(bytes).toString('base64');
}

/** Null when the stored bytes do not hold `dims` floats (a damaged row is re-embedded, not trusted). */
export function decodeVector(encoded: string, dims: number): Float32Array | null {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== dims * 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const v = new Float32Array(dims);
  for (let i = 0; i < dims; i++) v[i] = view.getFloat32(i * 4, true);
  return v;
}
