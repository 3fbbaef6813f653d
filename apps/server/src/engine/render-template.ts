/**
 * `{{ path }}` placeholders in flow messages and action templates, filled from a scope such as
 * `{ slots, contact, conversation, result, secrets }`. A path is dotted names and array indexes
 * (`slots.order.items.0.name`); nothing is evaluated, so a template cannot run code. A missing value
 * renders as an empty string (or `fallback`), and the names of missing paths are reported so callers
 * can refuse to send a half-filled request. A placeholder may carry its own fallback for a missing or
 * empty value, `{{ contact.name | 您好 }}`; such a path is not reported missing.
 */
export function renderTemplate(
  template: string,
  scope: Readonly<Record<string, unknown>>,
  opts: { encode?: (value: string) => string; fallback?: string | ((path: string) => string) } = {},
): { text: string; missing: string[] } {
  const missing: string[] = [];
  const text = template.replace(PLACEHOLDER, (_, path: string, inline: string | undefined) => {
    const value = lookupPath(scope, path);
    // `{{ contact.name | 您好 }}`: the template's own fallback stands in, so nothing is missing.
    if ((value === undefined || value === null || value === '') && inline !== undefined) return opts.encode ? opts.encode(inline) : inline;
    if (value === undefined || value === null) {
      missing.push(path);
      return typeof opts.fallback === 'function' ? opts.fallback(path) : (opts.fallback ?? '');
    }
    const s = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return opts.encode ? opts.encode(s) : s;
  });
  return { text, missing };
}

/**
 * A JSON body template: strings are rendered; a string that is exactly one placeholder keeps the
 * value's type (`"{{slots.amount}}"` → 99.5, not "99.5"). Objects and arrays are walked.
 */
export function renderJson(template: unknown, scope: Readonly<Record<string, unknown>>, missing: string[] = []): unknown {
  if (typeof template === 'string') {
    const whole = WHOLE.exec(template);
    if (whole) {
      const value = lookupPath(scope, whole[1]!);
      if (value === undefined) missing.push(whole[1]!);
      return value ?? null;
    }
    const r = renderTemplate(template, scope);
    missing.push(...r.missing);
    return r.text;
  }
  if (Array.isArray(template)) return template.map((v) => renderJson(v, scope, missing));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, renderJson(v, scope, missing)]));
  }
  return template;
}

/** The value at a dotted path (`a.b.0.c`), or undefined. Own properties only: no prototype walking. */
export function lookupPath(scope: unknown, path: string): unknown {
  let cur: unknown = scope;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** The paths a template refers to, e.g. to check a flow at import time. */
export const templatePaths = (template: string): string[] => [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);

const PATH = String.raw`([\p{L}_][\p{L}\p{N}_]*(?:\.(?:[\p{L}\p{N}_]+))*)`;
/** `{{ path }}`, or `{{ path | fallback }}` where the fallback is any text without braces. */
const PLACEHOLDER = new RegExp(String.raw`\{\{\s*${PATH}\s*(?:\|\s*([^{}]*?)\s*)?\}\}`, 'gu');
const WHOLE = new RegExp(String.raw`^\{\{\s*${PATH}\s*\}\}$`, 'u');
