import type { SlaMetric, SlaState } from '@kefu/protocol';
import type { ConversationPriority } from './entities.js';

/**
 * SLA clocks: a first-response and a resolution clock per stay with people (a conversation from the
 * moment it joins the queue, a ticket from the moment it is opened). Pure: due times come from an
 * injected calendar (plain or business hours), the current time is passed in, and every change names
 * the warnings, breaches and in-time stops it caused, so the caller records and announces each once.
 */

export interface SlaClock {
  dueAt: string;
  warnAt: string;
  /** When it stopped; null while it runs (a breached clock keeps running until it stops, late). */
  at: string | null;
  state: SlaState;
}

export interface SlaClocks {
  /** When the clocks started: the queue time of a conversation, the creation of a ticket. */
  startedAt: string;
  /** The priority the due times were computed for. */
  priority: ConversationPriority;
  firstResponse: SlaClock;
  resolution: SlaClock;
}

export type SlaClockKey = 'firstResponse' | 'resolution';
export const SLA_CLOCKS: readonly SlaClockKey[] = ['firstResponse', 'resolution'];
export const SLA_METRIC: Readonly<Record<SlaClockKey, SlaMetric>> = { firstResponse: 'first_response', resolution: 'resolution' };

export interface SlaTargetMinutes {
  firstResponse: number;
  resolution: number;
}

/** Adds target minutes to a start: wall-clock minutes, or only the minutes the business is open. */
export type SlaCalendar = (start: Date, minutes: number) => Date;

export interface SlaPolicy {
  enabled: boolean;
  targets: Readonly<Record<ConversationPriority, SlaTargetMinutes>>;
  warnAtPercent: number;
  calendar: SlaCalendar;
}

/** Something a change did to a clock that is recorded (and, for warnings and breaches, announced). */
export interface SlaFired {
  clock: SlaClockKey;
  kind: 'warning' | 'breach' | 'met';
  dueAt: string;
  at: string;
}

export interface SlaChange {
  sla: SlaClocks;
  fired: SlaFired[];
}

/** A clock still counting: running, amber, or past due and not yet stopped. */
export const isOpenClock = (c: SlaClock) => c.at === null && (c.state === 'running' || c.state === 'warning' || c.state === 'breached');

export function startSla(policy: SlaPolicy, startedAt: Date, priority: ConversationPriority): SlaClocks {
  return {
    startedAt: startedAt.toISOString(),
    priority,
    firstResponse: { ...dueTimes(policy, startedAt, policy.targets[priority].firstResponse), at: null, state: 'running' },
    resolution: { ...dueTimes(policy, startedAt, policy.targets[priority].resolution), at: null, state: 'running' },
  };
}

/**
 * The priority changed: clocks still within their target get due times for the new priority, counted
 * from the same start. A breach already announced stays; a clock now past due breaches at the next
 * `advance`.
 */
export function retargetSla(sla: SlaClocks, policy: SlaPolicy, priority: ConversationPriority): SlaClocks {
  const start = new Date(sla.startedAt);
  const next: SlaClocks = { ...sla, priority };
  for (const key of SLA_CLOCKS) {
    const c = sla[key];
    if (c.at !== null || (c.state !== 'running' && c.state !== 'warning')) continue;
    next[key] = { ...dueTimes(policy, start, policy.targets[priority][key]), at: null, state: 'running' };
  }
  return next;
}

/** Moves the open clocks to `now`: past the warning point → warning, past due → breached. */
export function advanceSla(sla: SlaClocks, now: Date): SlaChange {
  const t = now.getTime();
  const fired: SlaFired[] = [];
  const next: SlaClocks = { ...sla };
  for (const key of SLA_CLOCKS) {
    const c = sla[key];
    if (c.at !== null || (c.state !== 'running' && c.state !== 'warning')) continue;
    if (t >= Date.parse(c.dueAt)) {
      next[key] = { ...c, state: 'breached' };
      fired.push({ clock: key, kind: 'breach', dueAt: c.dueAt, at: now.toISOString() });
    } else if (c.state === 'running' && t >= Date.parse(c.warnAt)) {
      next[key] = { ...c, state: 'warning' };
      fired.push({ clock: key, kind: 'warning', dueAt: c.dueAt, at: now.toISOString() });
    }
  }
  return { sla: next, fired };
}

/**
 * Stops a clock at `at`. `met`: in time it is met; past due it is a breach, announced now if the sweep
 * had not caught it yet. `cancel`: nothing was owed (handed back to the bot); an announced breach stays.
 */
export function stopSlaClock(sla: SlaClocks, key: SlaClockKey, at: string, how: 'met' | 'cancel'): SlaChange {
  const c = sla[key];
  if (!isOpenClock(c)) return { sla, fired: [] };
  if (c.state === 'breached') return { sla: { ...sla, [key]: { ...c, at } }, fired: [] };
  if (how === 'cancel') return { sla: { ...sla, [key]: { ...c, at, state: 'cancelled' } }, fired: [] };
  if (Date.parse(at) >= Date.parse(c.dueAt))
    return { sla: { ...sla, [key]: { ...c, at, state: 'breached' } }, fired: [{ clock: key, kind: 'breach', dueAt: c.dueAt, at }] };
  return { sla: { ...sla, [key]: { ...c, at, state: 'met' } }, fired: [{ clock: key, kind: 'met', dueAt: c.dueAt, at }] };
}

/** A stopped clock counts again (a solved ticket reopened): from its old due time. */
export function resumeSlaClock(sla: SlaClocks, key: SlaClockKey): SlaClocks {
  const c = sla[key];
  if (c.at === null) return sla;
  return { ...sla, [key]: { ...c, at: null, state: c.state === 'breached' ? 'breached' : 'running' } };
}

/** When the sweep must next look at these clocks: the earliest warning point or due time of an open clock. */
export function nextSlaCheck(sla: SlaClocks | null | undefined): string | null {
  if (!sla) return null;
  let next: string | null = null;
  for (const key of SLA_CLOCKS) {
    const c = sla[key];
    if (c.at !== null) continue;
    // warnAt is never after dueAt (the warning point is a share of the target below 100%).
    const at = c.state === 'running' ? c.warnAt : c.state === 'warning' ? c.dueAt : null;
    if (at && (next === null || at < next)) next = at;
  }
  return next;
}

/** For filters and counts: the worst open clock. */
export function slaFlag(sla: SlaClocks | null | undefined): 'breached' | 'at_risk' | 'running' | null {
  if (!sla) return null;
  const open = SLA_CLOCKS.map((k) => sla[k]).filter(isOpenClock);
  if (open.some((c) => c.state === 'breached')) return 'breached';
  if (open.some((c) => c.state === 'warning')) return 'at_risk';
  return open.length > 0 ? 'running' : null;
}

export const sameSla = (a: SlaClocks | null | undefined, b: SlaClocks | null | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function dueTimes(policy: SlaPolicy, start: Date, minutes: number): { dueAt: string; warnAt: string } {
  const due = policy.calendar(start, minutes);
  const warn = policy.calendar(start, (minutes * policy.warnAtPercent) / 100);
  return { dueAt: due.toISOString(), warnAt: warn.toISOString() };
}
