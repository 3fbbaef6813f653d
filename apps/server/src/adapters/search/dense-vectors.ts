import type { EmbeddedUnit } from '../../ports/knowledge-index.js';

/**
 * A workspace's embedded texts as one flat matrix of unit-length rows: a query is scored against every
 * row (exact search; 100,000 × 1,024 floats take tens of milliseconds, far below an embedding call).
 */
export class DenseVectors {
  readonly dims: number;
  readonly size: number;
  private readonly matrix: Float32Array;
  private readonly ids: string[];

  constructor(
    readonly model: string,
    units: readonly EmbeddedUnit[],
  ) {
    this.dims = units[0]?.vector.length ?? 0;
    const usable = units.filter((u) => u.vector.length === this.dims && norm(u.vector) > 0);
    this.size = usable.length;
    this.matrix = new Float32Array(this.size * this.dims);
    this.ids = usable.map((u) => u.id);
    usable.forEach((u, i) => {
      const n = norm(u.vector);
      for (let j = 0; j < this.dims; j++) this.matrix[i * this.dims + j] = u.vector[j]! / n;
    });
  }

  get bytes() {
    return this.matrix.byteLength + this.ids.reduce((n, id) => n + id.length * 2, 0);
  }

  /**
   * The `k` ids most similar to the query (each id by its closest unit), best first, among those
   * `accept` lets through. Empty when the query's size does not match the stored vectors.
   */
  nearest(query: Float32Array, k: number, accept: (id: string) => boolean): { id: string; similarity: number }[] {
    const { dims, matrix, size } = this;
    if (query.length !== dims || size === 0) return [];
    const qn = norm(query);
    if (qn === 0) return [];
    const sims = new Float32Array(size);
    for (let u = 0; u < size; u++) {
      let dot = 0;
      const base = u * dims;
      for (let j = 0; j < dims; j++) dot += matrix[base + j]! * query[j]!;
      sims[u] = dot / qn;
    }
    // Best unit per id; ids are visited in descending similarity until k distinct ones are accepted.
    const order = topIndices(sims, Math.min(size, Math.max(k * 8, 64)));
    const out: { id: string; similarity: number }[] = [];
    const seen = new Set<string>();
    for (const u of order) {
      const id = this.ids[u]!;
      if (seen.has(id)) continue;
      seen.add(id);
      if (!accept(id)) continue;
      out.push({ id, similarity: sims[u]! });
      if (out.length === k) break;
    }
    return out;
  }
}

function norm(v: Float32Array) {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Indices of the n largest values, largest first (a bounded insertion list: n is small). */
function topIndices(values: Float32Array, n: number): number[] {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (idx.length === n && v <= values[idx[n - 1]!]!) continue;
    let j = idx.length === n ? n - 1 : idx.length;
    while (j > 0 && values[idx[j - 1]!]! < v) {
      idx[j] = idx[j - 1]!;
      j--;
    }
    idx[j] = i;
  }
  return idx;
}
