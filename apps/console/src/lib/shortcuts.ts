/** What a key does in the inbox. */
export type ShortcutAction = 'claim' | 'resolve' | 'transfer' | 'snooze' | 'reply' | 'search' | 'next' | 'previous' | 'help';

export interface Shortcut {
  action: ShortcutAction;
  /** The key as `KeyboardEvent.key` reports it (letters lower-case). */
  key: string;
}

/**
 * The inbox's keyboard shortcuts, single keys as in Gmail and most help desks (j/k move, r replies).
 * They only fire outside text fields, so typing "c" in a reply never claims anything; Esc in the reply
 * box leaves it, and the keys work again.
 */
export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'claim', key: 'c' },
  { action: 'resolve', key: 'e' },
  { action: 'transfer', key: 't' },
  { action: 'snooze', key: 'z' },
  { action: 'reply', key: 'r' },
  { action: 'search', key: '/' },
  { action: 'next', key: 'j' },
  { action: 'previous', key: 'k' },
  { action: 'help', key: '?' },
];

/** The parts of a keyboard event the decision needs (a DOM KeyboardEvent fits). */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  isComposing?: boolean;
  keyCode?: number;
  target?: unknown;
}

/** The action a key press asks for, or null: while typing, composing with an IME, or with a modifier held. */
export function shortcutFor(e: KeyInput): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // keyCode 229: an IME (pinyin, zhuyin) is handling the key.
  if (e.isComposing || e.keyCode === 229) return null;
  if (isTypingTarget(e.target)) return null;
  // "?" needs Shift on most layouts; letters with Shift are left to the browser and extensions.
  const key = e.key === '?' ? '?' : e.shiftKey ? null : e.key.length === 1 ? e.key.toLowerCase() : null;
  return SHORTCUTS.find((s) => s.key === key)?.action ?? null;
}

const NOT_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether key presses on this element are text: inputs that take text, text areas, selects, editable content. */
export function isTypingTarget(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  const el = target as { tagName?: unknown; type?: unknown; isContentEditable?: unknown };
  if (el.isContentEditable === true) return true;
  const tag = typeof el.tagName === 'string' ? el.tagName.toUpperCase() : '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NOT_TEXT_INPUTS.has(typeof el.type === 'string' ? el.type.toLowerCase() : 'text');
  return false;
}

/**
 * The conversation `step` places away from the selected one in the list (1 next, -1 previous); the
 * first (or last) when none is selected or the selected one left the list; null at either end.
 */
export function neighbourId(ids: readonly string[], selected: string | null, step: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const i = selected === null ? -1 : ids.indexOf(selected);
  if (i < 0) return step === 1 ? ids[0]! : ids[ids.length - 1]!;
  return ids[i + step] ?? null;
}
