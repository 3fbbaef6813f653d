import type { Message } from '@kefu/protocol';

export type MoodLabel = 'negative' | 'neutral' | 'positive';

export interface MoodPoint {
  messageId: string;
  polarity: number;
  label: MoodLabel;
}

export interface Mood {
  points: MoodPoint[];
  /** Last message against the mean of the ones before it. */
  direction: 'worse' | 'better' | 'steady';
  /** Customer messages in a row, ending with the last, that were negative. */
  negativeStreak: number;
}

/** Points this far apart in polarity count as a change of mood. */
const CHANGE = 0.2;

/**
 * The customer's mood over the loaded messages, from the sentiment the server keeps with each of
 * them (metadata.sentiment). Messages from before sentiment was kept are skipped.
 */
export function moodOf(messages: readonly Message[], max = 20): Mood | null {
  const points: MoodPoint[] = [];
  for (const m of messages) {
    if (m.author.type !== 'contact') continue;
    const s = (m.metadata as { sentiment?: { polarity?: unknown; label?: unknown } }).sentiment;
    if (!s || typeof s.polarity !== 'number' || !Number.isFinite(s.polarity)) continue;
    const label: MoodLabel = s.label === 'negative' || s.label === 'positive' ? s.label : 'neutral';
    points.push({ messageId: m.id, polarity: Math.max(-1, Math.min(1, s.polarity)), label });
  }
  if (points.length === 0) return null;
  const shown = points.slice(-max);
  const last = shown.at(-1)!.polarity;
  const before = shown.slice(0, -1);
  const mean = before.length ? before.reduce((a, p) => a + p.polarity, 0) / before.length : last;
  let negativeStreak = 0;
  for (let i = shown.length - 1; i >= 0 && shown[i]!.label === 'negative'; i--) negativeStreak++;
  return {
    points: shown,
    direction: last - mean <= -CHANGE ? 'worse' : last - mean >= CHANGE ? 'better' : 'steady',
    negativeStreak,
  };
}
