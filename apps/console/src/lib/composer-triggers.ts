/**
 * What the composer reads from the text as it is typed: a `/shortcut` at the start of a reply opens
 * the canned-reply picker; an `@name` in a note opens the member picker. Pure, so it is tested alone.
 */

/** The `/query` when the whole text so far is a slash and a shortcut being typed; null otherwise. */
export function slashQuery(text: string): string | null {
  const m = /^\/([^\s/]*)$/u.exec(text);
  return m ? m[1]! : null;
}

/** The `@query` that ends at the caret (the `@` at `start`), or null. A name may hold one space ("Ann Lee"). */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at === -1) return null;
  if (at > 0 && /[\p{Script=Latin}\p{N}_.+-]/u.test(before[at - 1]!)) return null;
  const query = before.slice(at + 1);
  if (query.length > 32 || /[\n@]/.test(query) || /\s\S*\s/.test(query) || /^\s/.test(query)) return null;
  return { start: at, query };
}

/** Replaces the `@query` at `start`…`caret` with `@name ` and says where the caret goes. */
export function insertMention(text: string, start: number, caret: number, name: string): { text: string; caret: number } {
  const inserted = `@${name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, start) + inserted + after, caret: start + inserted.length };
}

export interface PickableReply {
  shortcut: string;
  title: string;
  body: string;
}

/** Replies for the typed query: shortcuts starting with it first, then those containing it anywhere. */
export function filterReplies<T extends PickableReply>(replies: readonly T[], query: string, max = 8): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return replies.slice(0, max);
  const starts: T[] = [];
  const contains: T[] = [];
  for (const r of replies) {
    const shortcut = r.shortcut.toLowerCase();
    if (shortcut.startsWith(q)) starts.push(r);
    else if (shortcut.includes(q) || r.title.toLowerCase().includes(q) || r.body.toLowerCase().includes(q)) contains.push(r);
  }
  return [...starts, ...contains].slice(0, max);
}

export interface PickableMember {
  id: string;
  name: string;
  email: string;
}

/** Members for the typed `@query`: by name or e-mail, names starting with it first. */
export function filterMembers<T extends PickableMember>(members: readonly T[], query: string, max = 6): T[] {
  const q = query.trim().toLowerCase();
  if (!q) return members.slice(0, max);
  const starts: T[] = [];
  const contains: T[] = [];
  for (const m of members) {
    const name = m.name.toLowerCase();
    const local = m.email.split('@')[0]!.toLowerCase();
    if (name.startsWith(q) || local.startsWith(q)) starts.push(m);
    else if (name.includes(q) || local.includes(q)) contains.push(m);
  }
  return [...starts, ...contains].slice(0, max);
}

export interface TextSegment {
  text: string;
  /** Set when the segment is an @mention of this member. */
  memberId?: string;
}

/**
 * Splits a note into plain text and its @mentions, for highlighting. `handles` are what may follow
 * the `@` for each mentioned member (their name, their e-mail's local part); the longest fits.
 */
export function mentionSegments(text: string, handles: readonly { memberId: string; handle: string }[]): TextSegment[] {
  const sorted = handles.filter((h) => h.handle).sort((a, b) => b.handle.length - a.handle.length);
  if (sorted.length === 0 || !text.includes('@')) return [{ text }];
  const lower = text.toLowerCase();
  const out: TextSegment[] = [];
  let from = 0;
  for (let i = lower.indexOf('@'); i !== -1; i = lower.indexOf('@', i + 1)) {
    const hit = sorted.find((h) => lower.startsWith(h.handle.toLowerCase(), i + 1));
    if (!hit) continue;
    if (i > from) out.push({ text: text.slice(from, i) });
    const end = i + 1 + hit.handle.length;
    out.push({ text: text.slice(i, end), memberId: hit.memberId });
    from = end;
    i = end - 1;
  }
  if (from < text.length) out.push({ text: text.slice(from) });
  return out;
}

/** `{{contact.email}}` left in a filled reply: a value the agent still has to write. */
export const unfilledPlaceholders = (text: string): string[] => [...text.matchAll(/\{\{\s*([^{}|]+?)\s*\}\}/g)].map((m) => m[1]!);
