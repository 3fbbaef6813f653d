/** Who can be @mentioned: a member's display name and e-mail address. */
export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

/** One `@…` in a note that named a member: where it starts (the `@`), how long it is, and whom. */
export interface FoundMention {
  memberId: string;
  index: number;
  length: number;
}

/**
 * Finds `@Name` mentions in a note. After each `@` the longest member name (or e-mail local part,
 * `@lily` for lily@shop.com) that follows wins, compared case-insensitively, so `@Lily 李丽` picks the
 * member "Lily 李丽" over a member "Lily". Names may hold spaces and any script. A Latin name must not
 * run on into more Latin letters (`@Li` does not match inside `@Lily`); a Chinese name may be followed
 * by anything, since Chinese puts no space after it (`@张三请看`). An `@` inside a word (an e-mail
 * address) and `@words` that name nobody are left as text.
 */
export function parseMentions(text: string, members: readonly MentionCandidate[]): FoundMention[] {
  const handles: { memberId: string; handle: string }[] = [];
  for (const m of members) {
    const name = m.name.trim();
    if (name) handles.push({ memberId: m.id, handle: name.toLowerCase() });
    const local = m.email.split('@')[0]?.trim();
    if (local) handles.push({ memberId: m.id, handle: local.toLowerCase() });
  }
  // Longest first: the first handle that fits is the longest one.
  handles.sort((a, b) => b.handle.length - a.handle.length);

  const lower = text.toLowerCase();
  const found: FoundMention[] = [];
  for (let i = lower.indexOf('@'); i !== -1; i = lower.indexOf('@', i + 1)) {
    if (i > 0 && WORD_CHAR.test(text[i - 1]!)) continue;
    const rest = lower.slice(i + 1);
    const hit = handles.find((h) => rest.startsWith(h.handle) && endsAtBoundary(h.handle, rest.charAt(h.handle.length)));
    if (!hit) continue;
    found.push({ memberId: hit.memberId, index: i, length: hit.handle.length + 1 });
    i += hit.handle.length;
  }
  return found;
}

/** The distinct members of the mentions, in order of first mention. */
export const mentionedIds = (found: readonly FoundMention[]): string[] => [...new Set(found.map((f) => f.memberId))];

// Letters and digits of scripts written with spaces between words; an `@` right after one is an e-mail.
const WORD_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}_.+-]/u;
const LATIN_WORD_CHAR = /[\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}_]/u;

function endsAtBoundary(handle: string, next: string): boolean {
  if (next === '') return true;
  // A handle ending in a Latin letter or digit must not be followed by another one.
  return !(LATIN_WORD_CHAR.test(handle.at(-1)!) && LATIN_WORD_CHAR.test(next));
}
