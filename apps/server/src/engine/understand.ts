import type { IntentAction, WorkspaceSettings } from '../domain/entities.js';
import { analyzeSentiment, type Sentiment, type SentimentPoint, type SentimentTrend, sentimentPoint, sentimentTrend } from '../nlu/analyze-sentiment.js';
import { type Entity, extractEntities } from '../nlu/extract-entities.js';
import { classifyIntent, OUT_OF_SCOPE } from '../nlu/intent-model.js';
import type { IntentModels } from '../ports/intent-models.js';

/** A calibrated probability at or above this counts as recognising the intent (per workspace: settings.intentThreshold). */
export const DEFAULT_INTENT_THRESHOLD = 0.7;
/** Anger at or above this hands the conversation to a person (per workspace: settings.angerThreshold). */
export const DEFAULT_ANGER_THRESHOLD = 0.6;
/** This many negative customer messages in a row hand the conversation to a person (settings.negativeStreakHandoff). */
export const DEFAULT_NEGATIVE_STREAK = 3;
/** Customer messages the mood trend looks back over. */
export const TREND_WINDOW = 10;

export interface Understanding {
  /** The top intents with calibrated probabilities (empty without a trained model). */
  intents: { name: string; probability: number }[];
  /** The top intent when it is sure enough and not out of scope, with what it leads to. */
  intent: { name: string; probability: number; action: IntentAction | null } | null;
  /** A model is serving and the message fits none of its intents. */
  outOfScope: boolean;
  modelVersion: number | null;
  entities: Entity[];
  sentiment: Sentiment;
  /** The mood over the customer's last messages, this one included. */
  trend: SentimentTrend;
}

/** What the message is about, what it mentions and how the customer feels. Pure over the serving model. */
export function understand(
  workspaceId: string,
  text: string,
  ports: { intentModels?: IntentModels | null },
  settings: WorkspaceSettings = {},
  now: Date = new Date(),
  /** The sentiment of the customer's earlier messages in the conversation, oldest first. */
  history: readonly SentimentPoint[] = [],
): Understanding {
  const serving = ports.intentModels?.serving(workspaceId) ?? null;
  const ranked = serving && text.trim() ? classifyIntent(serving.model, text).slice(0, 3) : [];
  const threshold = settings.intentThreshold ?? DEFAULT_INTENT_THRESHOLD;
  const top = ranked[0];
  const accepted = top && top.intent !== OUT_OF_SCOPE && top.probability >= threshold ? top : null;
  const sentiment = analyzeSentiment(text);
  return {
    intents: ranked.map((r) => ({ name: r.intent, probability: round(r.probability) })),
    intent: accepted
      ? {
          name: accepted.intent,
          probability: round(accepted.probability),
          action: ports.intentModels?.intents(workspaceId).get(accepted.intent)?.action ?? null,
        }
      : null,
    outOfScope: Boolean(serving && top && !accepted),
    modelVersion: serving?.run.version ?? null,
    entities: extractEntities(text, { ...(settings.entities ?? {}), now, ...(settings.timeZone ? { timeZone: settings.timeZone } : {}) }),
    sentiment,
    trend: moodTrend(history, sentiment),
  };
}

/** The trend over the earlier messages and this one, within the window. */
export const moodTrend = (history: readonly SentimentPoint[], sentiment: Sentiment): SentimentTrend =>
  sentimentTrend([...history.slice(-(TREND_WINDOW - 1)), sentimentPoint(sentiment)]);

/**
 * The understanding as it is shown: in a turn's trace (entities and cues capped so a stored trace stays
 * small) and from /v1/nlu/analyze (uncapped).
 */
export function describeUnderstanding(u: Understanding, caps: { entities: number; cues: number } = { entities: Infinity, cues: Infinity }) {
  return {
    intents: u.intents,
    intent: u.intent,
    outOfScope: u.outOfScope,
    modelVersion: u.modelVersion,
    entities: u.entities.slice(0, caps.entities).map((e) => ({
      type: e.type,
      text: e.text.slice(0, 200),
      start: e.start,
      end: e.end,
      value: e.value,
      confidence: e.confidence,
      ...(e.name ? { name: e.name } : {}),
    })),
    sentiment: {
      label: u.sentiment.label,
      polarity: u.sentiment.polarity,
      intensity: u.sentiment.intensity,
      primary: u.sentiment.primary,
      emotions: u.sentiment.emotions,
      regulatorThreat: u.sentiment.regulatorThreat,
      repeatedComplaint: u.sentiment.repeatedComplaint,
      cues: u.sentiment.cues.slice(0, caps.cues),
    },
    trend: u.trend,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
