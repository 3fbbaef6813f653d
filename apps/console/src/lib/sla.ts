import type { Sla, SlaClock } from '@kefu/protocol';

export type SlaMetricKey = 'firstResponse' | 'resolution';
export type SlaTone = 'running' | 'warning' | 'breached' | 'met';

export interface SlaBadgeState {
  metric: SlaMetricKey;
  tone: SlaTone;
  /** Until the due time (negative: overdue); null once the clock stopped. */
  remainingMs: number | null;
  dueAt: string;
}

const open = (c: SlaClock) => c.at === null && (c.state === 'running' || c.state === 'warning' || c.state === 'breached');

/**
 * What the badge shows: the clock that runs now (first response until the first reply, then
 * resolution), coloured by the local time so it turns amber and red on the second even before the
 * server's sweep says so; once both stopped, a breach if there was one, else "met". Nothing for clocks
 * that were cancelled (handed back to the bot).
 */
export function slaBadgeState(sla: Sla | null | undefined, now: number): SlaBadgeState | null {
  if (!sla) return null;
  for (const metric of ['firstResponse', 'resolution'] as const) {
    const c = sla[metric];
    if (!open(c)) continue;
    const remainingMs = Date.parse(c.dueAt) - now;
    const warnAt = c.warnAt ? Date.parse(c.warnAt) : Number.POSITIVE_INFINITY;
    const tone: SlaTone = c.state === 'breached' || remainingMs <= 0 ? 'breached' : c.state === 'warning' || now >= warnAt ? 'warning' : 'running';
    return { metric, tone, remainingMs, dueAt: c.dueAt };
  }
  const late = (['firstResponse', 'resolution'] as const).find((m) => sla[m].state === 'breached');
  if (late) return { metric: late, tone: 'breached', remainingMs: null, dueAt: sla[late].dueAt };
  const met = (['resolution', 'firstResponse'] as const).find((m) => sla[m].state === 'met');
  return met ? { metric: met, tone: 'met', remainingMs: null, dueAt: sla[met].dueAt } : null;
}

/** 4:59, 1:02:03, 2d 3h; overdue with a minus sign. */
export function formatCountdown(ms: number): string {
  const sign = ms < 0 ? '−' : '';
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}d ${h}h`;
  if (h > 0) return `${sign}${h}:${pad(m)}:${pad(sec)}`;
  return `${sign}${m}:${pad(sec)}`;
}
