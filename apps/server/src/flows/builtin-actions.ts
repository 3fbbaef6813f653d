/**
 * Actions every workspace has, run inside kefu: they change the conversation or the contact and are
 * applied in the same transaction as the turn's messages.
 */
export const BUILTIN_ACTIONS = new Set(['add_tag', 'set_priority', 'set_contact_attribute']);

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type FlowEffect =
  | { kind: 'add_tag'; tag: string }
  | { kind: 'set_priority'; priority: Priority }
  | { kind: 'set_contact_attribute'; name: string; value: string | number | boolean | null };

/** The effect a built-in call asks for, or why its arguments do not make one. */
export function builtinEffect(action: string, args: Record<string, unknown>): { effect: FlowEffect } | { error: string } {
  switch (action) {
    case 'add_tag': {
      const tag = typeof args.tag === 'string' ? args.tag.trim() : '';
      return tag && tag.length <= 50 ? { effect: { kind: 'add_tag', tag } } : { error: 'add_tag needs `tag` (1–50 characters)' };
    }
    case 'set_priority': {
      const p = args.priority;
      return typeof p === 'string' && (PRIORITIES as readonly string[]).includes(p)
        ? { effect: { kind: 'set_priority', priority: p as Priority } }
        : { error: `set_priority needs \`priority\`: ${PRIORITIES.join(', ')}` };
    }
    case 'set_contact_attribute': {
      const name = typeof args.name === 'string' ? args.name.trim() : '';
      const v = args.value;
      const ok = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
      if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(name) || !ok) return { error: 'set_contact_attribute needs `name` (an identifier) and a scalar `value`' };
      return { effect: { kind: 'set_contact_attribute', name, value: typeof v === 'string' ? v.slice(0, 500) : (v as number | boolean | null) } };
    }
    default:
      return { error: `no built-in action "${action}"` };
  }
}
