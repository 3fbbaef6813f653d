import type { HandoffContext } from '@kefu/protocol';
import type { Conversation, Message } from '../domain/entities.js';
import { sentimentTrend, storedSentimentPoint } from '../nlu/analyze-sentiment.js';

/** Customer messages and bot replies the context keeps. */
const KEEP = 5;
const TEXT = 300;

export interface HandoffInput {
  trigger: string;
  by: HandoffContext['by'];
  note: string | null;
  conversation: Conversation;
  /** The conversation's latest messages, newest first (the current customer message included or not). */
  recent: readonly Message[];
  /** The customer message that triggered it, when it is not stored yet. */
  current?: string;
  /** What a flow that handed off had collected (its state is gone by then). */
  flow?: HandoffContext['flow'];
  /** The turn's reading of the current message, when the bot handed off. */
  understanding?: {
    intents: { name: string; probability: number }[];
    sentiment: { label: string; polarity: number; primary: string };
    trend: { average: number; negativeStreak: number; angerPeak: number };
  };
  now: Date;
}

/**
 * The hand-off context an agent reads first: why, a summary (the rolling one, or the customer's last
 * messages), intents with confidence, the mood and its trend, what the bot replied and from which
 * knowledge, and what a flow collected. Built from what is stored, so it also works for hand-offs by
 * agents and external systems.
 */
export function buildHandoffContext(input: HandoffInput): HandoffContext {
  const chronological = [...input.recent].reverse();
  const customer = chronological.filter((m) => m.authorType === 'contact').map((m) => m.text);
  if (input.current !== undefined) customer.push(input.current);
  const bots = chronological.filter((m) => m.authorType === 'bot' && m.metadata.trace);
  const tried = bots.slice(-KEEP).map((m) => {
    const trace = m.metadata.trace!;
    const sources = m.parts.flatMap((p) => (p.type === 'sources' ? p.sources.map((s) => ({ id: s.id, title: s.title.slice(0, 120) })) : []));
    return {
      text: m.text.slice(0, TEXT),
      kind: trace.decision.kind,
      reason: trace.decision.reason ?? null,
      confidence: trace.decision.confidence ?? null,
      sources,
    };
  });
  const u = input.understanding;
  const intents = u ? u.intents.slice(0, 3) : storedIntents(chronological);
  const dialogue = input.conversation.dialogue;
  return {
    at: input.now.toISOString(),
    trigger: input.trigger,
    by: input.by,
    note: input.note,
    summary: dialogue?.summary ?? null,
    customerMessages: customer.slice(-KEEP).map((t) => t.slice(0, TEXT)),
    intents: intents.map((i) => ({ name: i.name, probability: round(i.probability) })),
    sentiment: u
      ? {
          label: u.sentiment.label,
          polarity: round(u.sentiment.polarity),
          primary: u.sentiment.primary === 'none' ? null : u.sentiment.primary,
          average: round(u.trend.average),
          negativeStreak: u.trend.negativeStreak,
          angerPeak: round(u.trend.angerPeak),
        }
      : storedSentiment(chronological),
    tried,
    flow: input.flow ?? (dialogue?.flow ? { key: dialogue.flow.key, step: dialogue.flow.stepId, slots: dialogue.flow.slots } : null),
    language: input.conversation.language,
  };
}

/** The intents recognised in the customer's last messages (kept with each message), most recent first, once each. */
function storedIntents(messages: readonly Message[]) {
  const seen = new Map<string, number>();
  for (const m of [...messages].reverse()) {
    const i = m.metadata.intent as { name?: unknown; probability?: unknown } | undefined;
    if (m.authorType === 'contact' && typeof i?.name === 'string' && typeof i.probability === 'number' && !seen.has(i.name)) seen.set(i.name, i.probability);
  }
  return [...seen].slice(0, 3).map(([name, probability]) => ({ name, probability }));
}

/** The mood from the sentiment kept with the customer's messages. */
function storedSentiment(messages: readonly Message[]): HandoffContext['sentiment'] {
  const points = messages.flatMap((m) => {
    const p = m.authorType === 'contact' ? storedSentimentPoint(m.metadata.sentiment) : null;
    return p ? [p] : [];
  });
  const last = points.at(-1);
  if (!last) return null;
  const trend = sentimentTrend(points);
  return {
    label: last.label,
    polarity: round(last.polarity),
    primary: last.primary && last.primary !== 'none' ? last.primary : null,
    average: round(trend.average),
    negativeStreak: trend.negativeStreak,
    angerPeak: round(trend.angerPeak),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
