import type { DialogueState } from '../domain/entities.js';
import { fenceNotice, fenceUserText } from '../guardrails/detect-injection.js';
import type { PiiVault } from '../guardrails/redact-pii.js';
import type { LanguageModel } from '../ports/language-model.js';

export type QueryRewrite =
  | { status: 'skipped'; reason: 'off' | 'no_context' | 'stands_alone' }
  | { status: 'used'; query: string; ms: number }
  | { status: 'failed'; reason: 'timeout' | 'error' | 'garbage'; ms: number };

/** Words that point back at something said before: 它, 这个, that one, it… */
const ANAPHORA_ZH = /[它他她]|这个|那个|这款|那款|这种|那种|这件|那件|上面|刚才|之前说|前面|还是|同样|也能|也可以/u;
const ANAPHORA_EN = /\b(?:it|its|that|this|those|these|they|them|one|ones|same|there|also|too)\b/i;
const ELLIPTICAL = /^(?:那|那么|还有|另外|如果|要是)|[呢]\s*[?？]?$|^(?:and|what about|how about|what if|also)\b/i;

/**
 * Whether a message may only make sense with the conversation: short, and pointing back ("那它呢？",
 * "how much is that one?", "what about Hong Kong?").
 */
export function needsContext(text: string): boolean {
  const t = text.trim();
  const han = (t.match(/\p{Script=Han}/gu) ?? []).length;
  const words = t.split(/\s+/).filter(Boolean).length;
  const short = han > 0 ? han <= 16 : words <= 10;
  if (!short) return false;
  return ELLIPTICAL.test(t) || (han > 0 ? ANAPHORA_ZH.test(t) : ANAPHORA_EN.test(t));
}

/**
 * Rewrites a follow-up into a stand-alone search query with the language model, from the last turns
 * (customer text redacted and fenced). Only for messages that point back; anything but one short line
 * in reply is a failure, and the caller searches with its own follow-up handling.
 */
export async function rewriteQuery(
  llm: LanguageModel,
  text: string,
  dialogue: DialogueState | null,
  opts: { timeoutMs: number; vault: PiiVault | null },
): Promise<QueryRewrite> {
  const turns = dialogue?.turns.slice(-6) ?? [];
  if (turns.length === 0) return { status: 'skipped', reason: 'no_context' };
  if (!needsContext(text)) return { status: 'skipped', reason: 'stands_alone' };
  const red = (s: string) => (opts.vault ? opts.vault.redact(s) : s);
  const history = turns.map((t) => (t.role === 'customer' ? `Customer: ${fenceUserText(red(t.text))}` : `Assistant: ${red(t.text)}`)).join('\n');
  const system = [
    'You rewrite the customer’s last message into one stand-alone search query for a customer-service knowledge base.',
    'Resolve what it refers to from the conversation; keep its language (Simplified Chinese, Traditional Chinese or English); add nothing else.',
    'Reply with the query only, on one line, without quotes.',
    fenceNotice(),
  ].join('\n');
  const t0 = performance.now();
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let raw: string;
  try {
    raw = (
      await llm.complete(
        { system, prompt: `Conversation:\n${history}\n\nLast message:\n${fenceUserText(red(text))}`, maxOutputTokens: 80, temperature: 0 },
        { signal },
      )
    ).text;
  } catch {
    return { status: 'failed', reason: signal.aborted ? 'timeout' : 'error', ms: ms(t0) };
  }
  const query = raw
    .trim()
    .replace(/^["'“”「」]+|["'“”「」]+$/g, '')
    .trim();
  if (!query || query.includes('\n') || [...query].length > 200 || /^[{[]/.test(query) || /customer_message|query:/i.test(query))
    return { status: 'failed', reason: 'garbage', ms: ms(t0) };
  return { status: 'used', query: opts.vault ? opts.vault.restore(query) : query, ms: ms(t0) };
}

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
