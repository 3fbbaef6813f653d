import jexlModule from 'jexl';

/**
 * Branch conditions in flows, e.g. `slots.order.status == 'shipped' && contact.attributes.tier in ['vip', 'svip']`.
 * Evaluated by Jexl, which has operators, literals and property access but no way to call code, over
 * `{ slots, contact, conversation, result }`. A condition that fails to evaluate is false.
 */
const jexl = new jexlModule.Jexl();
jexl.addTransform('lower', (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v));
jexl.addTransform('upper', (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v));
jexl.addTransform('length', (v: unknown) => (typeof v === 'string' || Array.isArray(v) ? v.length : 0));
jexl.addTransform('number', (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN));

export type Condition = (scope: Readonly<Record<string, unknown>>) => boolean;

const cache = new Map<string, Condition>();

/** Compiles a condition; throws with the parser's message when it cannot be read. */
export function compileCondition(expression: string): Condition {
  const hit = cache.get(expression);
  if (hit) return hit;
  const compiled = jexl.compile(expression);
  const condition: Condition = (scope) => {
    try {
      return Boolean(compiled.evalSync(scope as Record<string, unknown>));
    } catch {
      return false;
    }
  };
  if (cache.size > 5000) cache.clear();
  cache.set(expression, condition);
  return condition;
}
