/**
 * Actions every workspace has, run inside kefu: they change the conversation or the contact and are
 * applied in the same transaction as the turn's messages.
 */
export const BUILTIN_ACTIONS = new Set(['add_tag', 'set_priority', 'set_contact_attribute', 'create_ticket']);

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export type FlowEffect =
  | { kind: 'add_tag'; tag: string }
  | { kind: 'set_priority'; priority: Priority }
  | { kind: 'set_contact_attribute'; name: string; value: string | number | boolean | null }
  /** A ticket linked to the conversation, opened after the turn is stored; the customer is told its number. */
  | { kind: 'create_ticket'; subject: string; description: string; priority: Priority | null };

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
    case 'create_ticket': {
      const subject = typeof args.subject === 'string' ? args.subject.trim() : '';
      const p = args.priority;
      if (!subject || subject.length > 200) return { error: 'create_ticket needs `subject` (1–200 characters)' };
      if (p !== undefined && p !== null && !(typeof p === 'string' && (PRIORITIES as readonly string[]).includes(p)))
        return { error: `create_ticket \`priority\` must be one of ${PRIORITIES.join(', ')}` };
      const description = typeof args.description === 'string' ? args.description.slice(0, 10_000) : '';
      return { effect: { kind: 'create_ticket', subject, description, priority: (p as Priority | undefined) ?? null } };
    }
    default:
      return { error: `no built-in action "${action}"` };
  }
}
