import type { SlaSettings, SlaTargets } from '@kefu/protocol';
import type { ConversationPriority, WorkspaceSettings } from '../domain/entities.js';
import type { SlaCalendar, SlaPolicy, SlaTargetMinutes } from '../domain/sla.js';
import { addOpenTime } from '../routing/business-hours.js';

type Targets = Record<ConversationPriority, SlaTargetMinutes>;

/**
 * Chat customers wait in minutes: an urgent conversation is answered within 5 minutes and sorted out
 * within the hour; a low-priority one within 2 hours and the day.
 */
export const DEFAULT_CONVERSATION_TARGETS: Readonly<Targets> = {
  urgent: { firstResponse: 5, resolution: 60 },
  high: { firstResponse: 15, resolution: 240 },
  normal: { firstResponse: 30, resolution: 480 },
  low: { firstResponse: 120, resolution: 1440 },
};

/** Tickets wait in hours: urgent 1 h / 8 h, high 4 h / 1 day, normal 8 h / 3 days, low 1 day / 5 days. */
export const DEFAULT_TICKET_TARGETS: Readonly<Targets> = {
  urgent: { firstResponse: 60, resolution: 480 },
  high: { firstResponse: 240, resolution: 1440 },
  normal: { firstResponse: 480, resolution: 4320 },
  low: { firstResponse: 1440, resolution: 7200 },
};

export const DEFAULT_WARN_AT_PERCENT = 80;

/** The SLA settings with every default filled in. */
export function slaSettings(s: WorkspaceSettings) {
  const sla: SlaSettings = s.sla ?? {};
  return {
    enabled: sla.enabled ?? true,
    targets: withDefaults(sla.targets, DEFAULT_CONVERSATION_TARGETS),
    ticketTargets: withDefaults(sla.ticketTargets, DEFAULT_TICKET_TARGETS),
    warnAtPercent: sla.warnAtPercent ?? DEFAULT_WARN_AT_PERCENT,
    businessHoursOnly: sla.businessHoursOnly ?? true,
  };
}
export type EffectiveSla = ReturnType<typeof slaSettings>;

/** The policy clocks of `kind` start with: targets, warning point, and the calendar that counts time. */
export function slaPolicy(s: WorkspaceSettings, kind: 'conversation' | 'ticket'): SlaPolicy {
  const e = slaSettings(s);
  return {
    enabled: e.enabled,
    targets: kind === 'ticket' ? e.ticketTargets : e.targets,
    warnAtPercent: e.warnAtPercent,
    calendar: slaCalendar(e.businessHoursOnly ? (s.businessHours ?? null) : null),
  };
}

const MINUTE = 60_000;

/**
 * Wall-clock minutes, or with business hours only the minutes the business is open. Hours that never
 * open again (every day closed) fall back to wall-clock time rather than a clock that never ends.
 */
export function slaCalendar(hours: WorkspaceSettings['businessHours'] | null): SlaCalendar {
  if (!hours) return (start, minutes) => new Date(start.getTime() + minutes * MINUTE);
  return (start, minutes) => addOpenTime(hours, start, minutes * MINUTE) ?? new Date(start.getTime() + minutes * MINUTE);
}

function withDefaults(given: SlaTargets | undefined, defaults: Readonly<Targets>): Targets {
  return {
    urgent: given?.urgent ?? defaults.urgent,
    high: given?.high ?? defaults.high,
    normal: given?.normal ?? defaults.normal,
    low: given?.low ?? defaults.low,
  };
}
