/** Shared row ⇄ entity helpers for the Kysely repositories. */
import { DomainError } from '../../domain/errors.js';
import type { Page } from '../../ports/store.js';

export function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Opaque cursors: base64url of a small JSON tuple, so clients never build them by hand. */
export function encodeCursor(values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): string[] | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === arity && v.every((x) => typeof x === 'string')) return v;
  } catch {
    // fall through
  }
  return null;
}

/** Decodes a cursor this server issued, or fails with CURSOR_INVALID naming the query field. */
export function readCursor(cursor: string, arity: number): string[] {
  const values = decodeCursor(cursor, arity);
  if (!values) throw new DomainError('CURSOR_INVALID', 'cursor is not valid', { field: 'query.cursor' });
  return values;
}

/** List queries fetch `limit + 1` rows: the extra row only tells that there is a next page. */
export function toPage<R, T>(rows: readonly R[], limit: number, map: (row: R) => T, cursorOf: (item: T) => readonly string[]): Page<T> {
  const items = rows.slice(0, limit).map(map);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null };
}
