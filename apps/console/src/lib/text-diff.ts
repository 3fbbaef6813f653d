/**
 * A word-level diff for the version history: Latin words and numbers stay whole, every CJK
 * character and punctuation mark is its own token (Chinese has no spaces to split on), runs of
 * white space are one token. Longest common subsequence over what is left after the common prefix
 * and suffix; past a size where that gets slow, the middle is shown as one removal and one addition.
 */

export type DiffOp = 'same' | 'removed' | 'added';
export interface DiffPart {
  op: DiffOp;
  text: string;
}

const TOKEN = /(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}_])+|\s+|./gsu;
const MAX_CELLS = 1_500_000;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

export function diffText(before: string, after: string): DiffPart[] {
  if (before === after) return before ? [{ op: 'same', text: before }] : [];
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const parts: DiffPart[] = [];
  push(parts, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    push(parts, 'removed', midA.join(''));
    push(parts, 'added', midB.join(''));
  } else {
    lcsDiff(midA, midB, (op, text) => push(parts, op, text));
  }
  push(parts, 'same', a.slice(endA).join(''));
  return parts;
}

/**
 * A line diff for a flow's versions: every line of both texts once, as kept, removed or added, in
 * reading order. Past the size limit the changed middle is one block removed and one added.
 */
export function diffLines(before: string, after: string): { op: DiffOp; line: string }[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: { op: DiffOp; line: string }[] = a.slice(0, start).map((line) => ({ op: 'same', line }));
  const emit = (op: DiffOp, line: string) => out.push({ op, line });
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_CELLS) {
    for (const line of midA) emit('removed', line);
    for (const line of midB) emit('added', line);
  } else lcsDiff(midA, midB, emit);
  for (const line of a.slice(endA)) emit('same', line);
  return out;
}

function lcsDiff(a: string[], b: string[], emit: (op: DiffOp, token: string) => void) {
  const n = a.length;
  const m = b.length;
  // lengths[i][j] = LCS of a[i..] and b[j..], in one flat array.
  const w = m + 1;
  const lengths = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * w + j] = a[i] === b[j] ? lengths[(i + 1) * w + j + 1]! + 1 : Math.max(lengths[(i + 1) * w + j]!, lengths[i * w + j + 1]!);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      emit('same', a[i]!);
      i++;
      j++;
    } else if (lengths[(i + 1) * w + j]! >= lengths[i * w + j + 1]!) emit('removed', a[i++]!);
    else emit('added', b[j++]!);
  }
  while (i < n) emit('removed', a[i++]!);
  while (j < m) emit('added', b[j++]!);
}

/** Appends, merging with the previous part of the same kind. */
function push(parts: DiffPart[], op: DiffOp, text: string) {
  if (!text) return;
  const last = parts[parts.length - 1];
  if (last && last.op === op) last.text += text;
  else parts.push({ op, text });
}

/** Items removed, kept and added, in a stable order: the old order, then the new items. */
export function diffList(before: readonly string[], after: readonly string[]): { op: DiffOp; text: string }[] {
  const next = new Set(after);
  const prev = new Set(before);
  return [
    ...before.map((text) => ({ op: next.has(text) ? ('same' as const) : ('removed' as const), text })),
    ...after.filter((t) => !prev.has(t)).map((text) => ({ op: 'added' as const, text })),
  ];
}
