import type { ReplySuggestion, ReplySuggestions } from '@kefu/protocol';
import { detectHandoffRequest } from '../engine/detect-handoff-request.js';
import { assistantSettings, guardrailSettings } from '../engine/effective-settings.js';
import { generateAnswer } from '../engine/generate-answer.js';
import { replyLocaleFor } from '../engine/reply-catalog.js';
import { retrieveKnowledge } from '../engine/retrieve-knowledge.js';
import { pickVariant } from '../engine/run-turn.js';
import { traditional } from '../flows/localize-text.js';
import { PiiVault } from '../guardrails/redact-pii.js';
import { foldForAnalysis, normalizeText } from '../text/normalize-text.js';
import type { Principal, UseCaseContext } from './context.js';
import { findVisibleConversation } from './conversation-access.js';

const CANDIDATES = 5;
const SHOWN = 3;
/** Entries below this retrieval confidence are not worth an agent's glance. */
const FLOOR = 0.15;

/**
 * Replies an agent may insert and edit: the best knowledge entries for what the customer asked last
 * (their answers in the customer's language and channel), and, with a language model, a draft written
 * from them with the same guardrails as the bot's answers. Nothing is sent.
 */
export async function suggestReplies(ctx: UseCaseContext, principal: Principal, conversationId: string): Promise<ReplySuggestions> {
  const conv = await findVisibleConversation(ctx, principal, conversationId);
  const workspace = await ctx.store.workspaces.findById(principal.workspaceId);
  const recent = await ctx.store.messages.recent(conv.workspaceId, conv.id, 20);
  // What the customer asked since an agent last answered, leaving out bare requests for a person
  // ("转人工"): right after a hand-off the question is the one before it.
  const asked: string[] = [];
  for (const m of recent) {
    if (m.authorType === 'agent') break;
    if (m.authorType !== 'contact') continue;
    const bare = detectHandoffRequest(foldForAnalysis(normalizeText(m.text))).requested && [...m.text].length <= 12;
    if (!bare) asked.unshift(m.text);
    if (asked.length >= 2) break;
  }
  const query = asked.slice(-2).join('\n').slice(0, 1000);
  if (!query.trim()) return { query: '', items: [], generated: 'off' };

  const locale = replyLocaleFor(conv.language);
  const found = await retrieveKnowledge(ctx.retrieval, conv.workspaceId, query, CANDIDATES);
  const hits = found.hits.filter((h) => h.confidence >= FLOOR);
  const items: ReplySuggestion[] = hits.slice(0, SHOWN).map((h) => {
    const variant = pickVariant(h.entry.variants, locale, conv.channel);
    const base = variant?.answer ?? h.entry.answer;
    return {
      id: `kb:${h.entry.id}`,
      kind: 'knowledge',
      text: locale === 'zh-Hant' && variant?.language !== 'zh-TW' ? traditional(base) : base,
      source: { id: h.entry.id, title: h.entry.question },
      confidence: Math.round(h.confidence * 1000) / 1000,
    };
  });

  const settings = workspace?.settings ?? {};
  const assistant = assistantSettings(settings);
  const llm = ctx.llm;
  if (!llm || assistant.answers === 'off' || hits.length === 0) return { query, items, generated: 'off' };
  const guardrails = guardrailSettings(settings);
  const draft = await generateAnswer(ctx.usage.wrap(llm.model, conv.workspaceId, 'suggestion'), {
    question: query,
    locale,
    sources: hits,
    turns: conv.dialogue?.turns ?? [],
    summary: conv.dialogue?.summary ?? null,
    assistant,
    guardrails,
    vault: guardrails.redactPii ? new PiiVault() : null,
    tools: null,
    ...(workspace ? { workspaceName: workspace.name } : {}),
    firstTextTimeoutMs: llm.timeoutMs * 2,
  });
  if (draft.status === 'answered') {
    const first = draft.cited[0];
    items.unshift({
      id: 'generated',
      kind: 'generated',
      text: draft.text,
      source: first ? { id: first.entry.id, title: first.entry.question } : null,
      confidence: null,
    });
    return { query, items, generated: 'ok' };
  }
  return { query, items, generated: draft.status === 'no_answer' ? 'no_answer' : 'failed' };
}
