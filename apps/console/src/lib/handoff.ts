import type { HandoffContext, Locale } from '@kefu/protocol';
import type { MessageKey, Translate } from '../i18n/i18n';

export interface TriggerText {
  /** A sentence for people, in the console's language. */
  text: string;
  /** The trigger as the server sent it, shown small beside the sentence for those who know the codes. */
  code: string;
}

/**
 * Why a conversation was handed to people, as a sentence. Triggers the console knows read from the
 * catalogue (`handoff.*`, written for hand-offs, then the trace's `reason.*`); anything else — a
 * flow's own reason such as `order_system_unavailable`, or the reason an agent or external system
 * typed — is named with who handed off and the reason itself, made readable.
 */
export function describeTrigger(h: Pick<HandoffContext, 'trigger' | 'by' | 'flow'>, t: Translate, has: (key: string) => key is MessageKey): TriggerText {
  const code = h.trigger;
  for (const key of [`handoff.${code}`, `reason.${code}`]) if (has(key)) return { text: sentence(t(key)), code };
  const reason = readableCode(code);
  if (h.flow) return { text: t('handoffCard.trigger.flow', { flow: h.flow.key, reason }), code };
  return { text: t(`handoffCard.trigger.${h.by}`, { reason }), code };
}

/** `order_system_unavailable` → `order system unavailable`; free text an agent typed stays as it is. */
export function readableCode(code: string): string {
  return /^[a-z0-9]+(?:[_.-][a-z0-9]+)+$/i.test(code) ? code.replace(/[_.-]+/g, ' ') : code;
}

/** Upper-cases a Latin first letter (catalogue fragments such as “the customer asked…” start lower-case). */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * How long someone has been waiting, in the two largest units that matter: `45 sec`, `3 min 12 sec`,
 * `2 hr 5 min`, `1 day 3 hr` (Intl unit names, so every locale reads it without catalogue strings).
 * Seconds stay while it is under an hour, so a live clock visibly moves.
 */
export function formatWaiting(ms: number, locale: Locale): string {
  const total = Math.max(0, Number.isFinite(ms) ? ms : 0);
  const unit = (value: number, u: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 0 }).format(value);
  if (total < MINUTE) return unit(Math.floor(total / SECOND), 'second');
  if (total < HOUR) return `${unit(Math.floor(total / MINUTE), 'minute')} ${unit(Math.floor((total % MINUTE) / SECOND), 'second')}`;
  if (total < DAY) return `${unit(Math.floor(total / HOUR), 'hour')} ${unit(Math.floor((total % HOUR) / MINUTE), 'minute')}`;
  return `${unit(Math.floor(total / DAY), 'day')} ${unit(Math.floor((total % DAY) / HOUR), 'hour')}`;
}

/** Milliseconds from an ISO time to `now`; null when there is no time or it does not parse. */
export function waitedMs(since: string | null | undefined, now: number): number | null {
  if (!since) return null;
  const t = Date.parse(since);
  return Number.isNaN(t) ? null : Math.max(0, now - t);
}

export type WaitingLevel = 'ok' | 'warn' | 'late';

/**
 * A colour cue for the wait. Workspaces have no SLA targets yet (docs/people.md: SLAs follow); until
 * they do, two and ten minutes are rough marks for when a waiting customer starts to give up.
 */
export function waitingLevel(ms: number): WaitingLevel {
  return ms < 2 * MINUTE ? 'ok' : ms < 10 * MINUTE ? 'warn' : 'late';
}

/** A slot a flow collected, as text: strings as they are, everything else as compact JSON. */
export function slotText(value: unknown, max = 120): string {
  if (value === null || value === undefined) return '—';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : safeJson(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
