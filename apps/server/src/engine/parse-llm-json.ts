/**
 * The JSON object in a language model's reply. Models wrap it in prose or code fences ("Sure! {…}"),
 * so the widest `{…}` is tried first, then the first one; anything else is null.
 */
export function parseLlmJson(raw: string): Record<string, unknown> | null {
  for (const candidate of [/\{[\s\S]*\}/.exec(raw)?.[0], /\{[\s\S]*?\}/.exec(raw)?.[0]]) {
    if (!candidate) continue;
    try {
      const o: unknown = JSON.parse(candidate);
      if (o && typeof o === 'object' && !Array.isArray(o)) return o as Record<string, unknown>;
    } catch {
      // try the next candidate
    }
  }
  return null;
}
