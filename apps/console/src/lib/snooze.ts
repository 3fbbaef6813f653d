import type { SnoozeBody } from '@kefu/protocol';

export type SnoozePreset = '1h' | '4h' | 'tomorrow' | 'nextWeek';
export const SNOOZE_PRESETS: readonly SnoozePreset[] = ['1h', '4h', 'tomorrow', 'nextWeek'];

/** The request for a preset, in the agent's local time: tomorrow and next Monday at 09:00. */
export function snoozeBody(preset: SnoozePreset, now: Date): SnoozeBody {
  if (preset === '1h') return { minutes: 60 };
  if (preset === '4h') return { minutes: 240 };
  const at = new Date(now);
  at.setHours(9, 0, 0, 0);
  if (preset === 'tomorrow') at.setDate(at.getDate() + 1);
  else at.setDate(at.getDate() + ((8 - at.getDay()) % 7 || 7));
  return { until: at.toISOString() };
}

/** A `datetime-local` value (local time, no zone) as the API's ISO instant; null when empty or not a date. */
export function localInputToIso(value: string): string | null {
  if (!value) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Whether a conversation is snoozed at `now`. */
export const isSnoozed = (c: { snoozedUntil?: string | null }, now: number) => Boolean(c.snoozedUntil && Date.parse(c.snoozedUntil) > now);
