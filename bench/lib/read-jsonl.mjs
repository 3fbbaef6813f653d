import { existsSync, readFileSync } from 'node:fs';

/** One parsed object per non-empty line; an empty list when the file does not exist and `optional` is set. */
export function readJsonl(path, { optional = false } = {}) {
  if (optional && !existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}
