import type { DialogueState, Workspace } from '../domain/entities.js';
import { guardrailSettings } from '../engine/effective-settings.js';
import { fenceNotice, fenceUserText } from '../guardrails/detect-injection.js';
import { PiiVault } from '../guardrails/redact-pii.js';
import type { UseCaseContext } from './context.js';

/** A summary is (re)written after this many customer turns since the last one. */
export const SUMMARY_EVERY = 6;
const MESSAGES = 40;
const MAX_CHARS = 1200;

export const summaryDue = (d: DialogueState) => (d.customerTurns ?? 0) >= SUMMARY_EVERY && (d.customerTurns ?? 0) - (d.summaryAt ?? 0) >= SUMMARY_EVERY;

/**
 * Writes the conversation's rolling summary with the language model (off the customer's path): the
 * previous summary and the latest messages, customer text redacted and fenced, into a few sentences the
 * model reads with every later answer. Saved under the conversation's lock so that it never overwrites a
 * turn. Failures are logged and change nothing.
 */
export async function summarizeConversation(ctx: UseCaseContext, workspace: Workspace, conversationId: string): Promise<string | null> {
  const llm = ctx.llm;
  if (!llm) return null;
  const conv = await ctx.store.conversations.findById(workspace.id, conversationId);
  if (!conv?.dialogue) return null;
  const vault = guardrailSettings(workspace.settings).redactPii ? new PiiVault() : null;
  const red = (s: string) => (vault ? vault.redact(s) : s);
  const recent = (await ctx.store.messages.recent(workspace.id, conversationId, MESSAGES)).reverse();
  const transcript = recent
    .map((m) =>
      m.authorType === 'contact'
        ? `Customer: ${fenceUserText(red(m.text.slice(0, 500)))}`
        : `${m.authorType === 'agent' ? 'Agent' : 'Assistant'}: ${red(m.text.slice(0, 500))}`,
    )
    .join('\n');
  const system = [
    'You keep a running summary of a customer-service conversation, for the assistant answering later messages and for a human agent who may take over.',
    'Say what the customer wants, what was answered or done (orders looked up, refunds filed), what is still open, and how the customer feels. Facts only, no advice.',
    'At most 80 words, in the language the customer writes. Keep placeholders such as ⟦PHONE_1⟧ as they are.',
    fenceNotice(),
  ].join('\n');
  const previous = conv.dialogue.summary ? `Summary so far:\n${red(conv.dialogue.summary)}\n\n` : '';
  const model = ctx.usage.wrap(llm.model, workspace.id, 'summary');
  const { text } = await model.complete(
    { system, prompt: `${previous}Latest messages:\n${transcript}`, maxOutputTokens: 250, temperature: 0 },
    { signal: AbortSignal.timeout(llm.timeoutMs * 3) },
  );
  const summary = (vault ? vault.restore(text) : text).trim().slice(0, MAX_CHARS);
  if (!summary || /^[{[]/.test(summary)) return null;
  const covered = conv.dialogue.customerTurns ?? 0;
  await ctx.lock.run(conversationId, async () => {
    const now = await ctx.store.conversations.findById(workspace.id, conversationId);
    if (!now?.dialogue) return;
    await ctx.store.conversations.update({ ...now, dialogue: { ...now.dialogue, summary, summaryAt: covered } });
  });
  return summary;
}
